/*
 * echo_server: the peer of the round-trip benchmark. Listens on
 * 127.0.0.1 (an ephemeral port, printed on stdout), and echoes each
 * connection's bytes back until it ends, one connection at a time, until
 * killed.
 *   echo_server
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof a;
	char buf[65536];
	ssize_t n;
	int l, c, one = 1;

	if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 1;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 16) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0)
		return 1;
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	for (;;) {
		if ((c = accept(l, NULL, NULL)) < 0)
			continue;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		while ((n = read(c, buf, sizeof buf)) > 0)
			if (write(c, buf, (size_t)n) != n)
				break;
		close(c);
	}
}
