/*
 * conn_client: the client of the serve benchmarks, on 127.0.0.1.
 *   conn_client PORT N          N connections one after another, each
 *                               64 bytes out, 64 back, close; prints the
 *                               milliseconds they took
 *   conn_client PORT N PID      N connections held open at once, each
 *                               after its 64-byte round trip; prints the
 *                               peak RSS (KiB) of process PID then, and
 *                               closes them
 */
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
round_trip(int port)
{
	struct sockaddr_in a;
	char out[64], in[64];
	size_t got = 0;
	ssize_t n;
	int fd;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	memset(out, 'x', sizeof out);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    write(fd, out, sizeof out) != (ssize_t)sizeof out) {
		perror("conn_client");
		exit(1);
	}
	while (got < sizeof in) {
		if ((n = read(fd, in + got, sizeof in - got)) <= 0) {
			fprintf(stderr, "conn_client: short reply\n");
			exit(1);
		}
		got += (size_t)n;
	}
	return fd;
}

static long
peak_rss_kib(const char *pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%s/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rlimit rl;
	int port, n, i, *fds;

	if (argc != 3 && argc != 4)
		return fprintf(stderr, "usage: conn_client PORT N [PID]\n"), 2;
	port = atoi(argv[1]);
	n = atoi(argv[2]);
	if (argc == 3) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (i = 0; i < n; i++)
			close(round_trip(port));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%.1f\n", (t1.tv_sec - t0.tv_sec) * 1e3 +
		                     (t1.tv_nsec - t0.tv_nsec) / 1e6);
		return 0;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((fds = calloc((size_t)n, sizeof *fds)) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		fds[i] = round_trip(port);
	printf("%ld\n", peak_rss_kib(argv[3]));
	for (i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
