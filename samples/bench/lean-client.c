// lean-client.c: a minimal paced milter load client, to measure end-of-message latency with as
// little of the client's own cost in it as possible (one blocking TCP connection per thread, one
// write per message, no thread pool, no timers but clock_nanosleep).
//
// Why it exists: `authfilter bench` runs its connections on .NET's thread pool, and each message's
// answer reaches it through an epoll thread and a pool hop; on a small VM that adds ~0.4 ms to the
// measured p50 (README, "Benchmarking a milter"). This client shows what the milter itself costs.
// Limits: one message file (CRLF or LF), envelope alice@bench.example -> bob@localhost, no macros,
// only the end-of-message reply is timed, inet 127.0.0.1 only. Offers milter protocol v6 with all
// SMFIP_NR_* flags; reads CONNECT and HELO replies only if the milter wants to give them, and
// assumes it negotiates no reply for MAIL, RCPT, headers, end of headers and body (authfilter and
// the benchmarks' null milter do), so a whole message goes out in one write.
//
// Build: gcc -O2 -pthread -o lean-client samples/bench/lean-client.c
// Run:   ./lean-client PORT CONNECTIONS MESSAGES_PER_CONNECTION RATE_PER_SECOND FILE.eml
//        e.g. ./lean-client 18897 8 1000 1000 /tmp/cmp/corpus/msg001.eml
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
static char *msgbuf; static size_t msglen; static int port, nconn, per; static double rate;
static double *lat; static uint32_t proto;
static void put(char **p, char cmd, const void *d, uint32_t n){uint32_t l=htonl(n+1);memcpy(*p,&l,4);(*p)[4]=cmd;memcpy(*p+5,d,n);*p+=5+n;}
static void rd(int s, void *b, size_t n){size_t g=0;while(g<n){ssize_t r=read(s,(char*)b+g,n-g);if(r<=0){perror("read");exit(1);}g+=r;}}
static char reply(int s){uint32_t l;rd(s,&l,4);l=ntohl(l);char *b=malloc(l);rd(s,b,l);char c=b[0];free(b);return c;}
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void *run(void *arg){
  int id=(int)(long)arg; int s=socket(AF_INET,SOCK_STREAM,0); int one=1; setsockopt(s,IPPROTO_TCP,TCP_NODELAY,&one,4);
  struct sockaddr_in a={.sin_family=AF_INET,.sin_port=htons(port)}; a.sin_addr.s_addr=htonl(0x7f000001);
  if(connect(s,(void*)&a,sizeof a)){perror("connect");exit(1);}
  char buf[65536],*p=buf; uint32_t o[3]={htonl(6),htonl(0x1ff),htonl(0x1fffff)}; put(&p,'O',o,12); write(s,buf,p-buf);
  uint32_t l; rd(s,&l,4); l=ntohl(l); char *ob=malloc(l); rd(s,ob,l); memcpy(&proto,ob+9,4); proto=ntohl(proto); free(ob);
  p=buf; char conn[]="bench.localhost\0" "4\x9c\x40" "127.0.0.1"; put(&p,'C',conn,sizeof conn); if(!(proto&0x1000)){write(s,buf,p-buf);reply(s);p=buf;}
  put(&p,'H',"bench.localhost",16); write(s,buf,p-buf); if(!(proto&0x2000)) reply(s);
  double start=now(); struct timespec ts;
  for(int i=0;i<per;i++){
    double due=start+(i*nconn+id)/rate; double w=due-now(); if(w>0){ts.tv_sec=(time_t)w;ts.tv_nsec=(long)((w-ts.tv_sec)*1e9);nanosleep(&ts,0);}
    write(s,msgbuf,msglen);
    double t0=now(); char eom[5]; uint32_t one1=htonl(1); memcpy(eom,&one1,4); eom[4]='E'; write(s,eom,5);
    for(;;){char c=reply(s); if(strchr("acrtdy",c)) break;}
    lat[id*per+i]=now()-t0;
  }
  close(s); return 0;
}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(int c,char**v){
  if(c<6){fprintf(stderr,"usage: %s PORT CONNECTIONS MESSAGES_PER_CONNECTION RATE FILE.eml\n",v[0]);return 2;}
  port=atoi(v[1]); nconn=atoi(v[2]); per=atoi(v[3]); rate=atof(v[4]); FILE*f=fopen(v[5],"rb"); static char raw[1<<20]; size_t n=fread(raw,1,sizeof raw,f); raw[n]=0; { size_t j=0; for(size_t i=0;i<n;i++) if(raw[i]!='\r') raw[j++]=raw[i]; raw[j]=0; }
  // build MAIL, RCPT, headers (LEADSPC: value after ':' verbatim, CRLF folds -> LF), EOH, BODY (CRLF)
  msgbuf=malloc(1<<21); char *p=msgbuf; put(&p,'M',"<alice@bench.example>",22); put(&p,'R',"<bob@localhost>",16);
  char *h=raw; char *end=strstr(raw,"\n\n"); char *hend=end+1;
  while(h<hend){ char *colon=strchr(h,':'); char *e=h; for(;;){e=strchr(e,'\n'); if(e+1>=hend||(e[1]!=' '&&e[1]!='\t'))break; e++;}
    char hv[8192]; size_t nl=colon-h; memcpy(hv,h,nl); hv[nl]=0; size_t vl=e-(colon+1); memcpy(hv+nl+1,colon+1,vl); hv[nl+1+vl]=0;
    put(&p,'L',hv,nl+1+vl+1); h=e+1; }
  put(&p,'N',"",0);
  char *b=end+2; char body[1<<20]; size_t bl=0; for(;*b;b++){ if(*b=='\n') body[bl++]='\r'; body[bl++]=*b; }
  put(&p,'B',body,bl); msglen=p-msgbuf;
  lat=calloc(nconn*per,sizeof(double)); pthread_t t[256]; for(long i=0;i<nconn;i++) pthread_create(&t[i],0,run,(void*)i); for(int i=0;i<nconn;i++) pthread_join(t[i],0);
  int N=nconn*per; qsort(lat,N,sizeof(double),cmp); printf("proto %#x n %d p50 %.0f us p90 %.0f p99 %.0f max %.0f\n",proto,N,lat[N/2]*1e6,lat[(int)(N*.9)]*1e6,lat[(int)(N*.99)]*1e6,lat[N-1]*1e6);
}
