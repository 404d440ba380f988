/* nowait_epoll.c N K: the floor for the nowait-connect benchmark, plain C
 * with epoll. The same job as nowait_gen.sh's esock script and nowait.erl:
 * N nonblocking connects to one listener on 127.0.0.1, at most K in
 * flight. Per batch: open K sockets, connect each (EINPROGRESS) and watch
 * it for EPOLLOUT; then K times take one ready socket, read SO_ERROR,
 * accept one connection and close both. Exit 0, or 1 on any failure. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: nowait_epoll N K\n"), 2;
	int n = atoi(argv[1]), k = atoi(argv[2]);
	if (n < 1 || k < 1)
		return fprintf(stderr, "nowait_epoll: bad N or K\n"), 2;

	/* 2K descriptors are open at the peak: raise the soft limit. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}

	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 ||
	    listen(l, k) < 0 || getsockname(l, (struct sockaddr *)&a, &alen) < 0)
		die("listener");
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	struct epoll_event ev;

	for (int done = 0; done < n;) {
		int b = n - done < k ? n - done : k;
		for (int i = 0; i < b; i++) {
			int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (c < 0)
				die("socket");
			if (connect(c, (struct sockaddr *)&a, sizeof a) == 0 ||
			    errno != EINPROGRESS)
				die("connect"); /* esock and erl expect select too */
			ev.events = EPOLLOUT | EPOLLONESHOT;
			ev.data.fd = c;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0)
				die("epoll_ctl");
		}
		/* One event at a time, as the others take one message. */
		for (int i = 0; i < b; i++, done++) {
			int r = epoll_wait(ep, &ev, 1, 5000);
			if (r == 0)
				return fprintf(stderr, "nowait_epoll: timeout\n"), 1;
			if (r < 0)
				die("epoll_wait");
			int s = ev.data.fd, err;
			socklen_t elen = sizeof err;
			if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &elen) < 0 || err)
				die("SO_ERROR");
			int x = accept(l, NULL, NULL);
			if (x < 0)
				die("accept");
			close(s); /* close drops s from the epoll set */
			close(x);
		}
	}
	close(l);
	return 0;
}
