/*
 * echo_client PORT N: the C floor of the round-trip benchmark. N times,
 * sends 64 bytes to the echo server on 127.0.0.1:PORT and reads the 64
 * back. Prints the loop's time in microseconds; exits 0, or 1 on any
 * failure.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_in a = {0};
	struct timespec t0, t1;
	char out[64], in[64];
	long i, n;
	ssize_t got, k;
	int s, one = 1;

	if (argc != 3)
		return 2;
	n = atol(argv[2]);
	memset(out, 'x', sizeof out);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 1;
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&a, sizeof a) < 0)
		return 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if (write(s, out, sizeof out) != (ssize_t)sizeof out)
			return 1;
		for (got = 0; got < (ssize_t)sizeof in; got += k)
			if ((k = read(s, in + got, sizeof in - (size_t)got)) <= 0)
				return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld\n", (long)((t1.tv_sec - t0.tv_sec) * 1000000L +
	                       (t1.tv_nsec - t0.tv_nsec) / 1000));
	close(s);
	return 0;
}
