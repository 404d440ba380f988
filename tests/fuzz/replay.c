/*
 * Replays inputs through a libFuzzer harness without libFuzzer: each
 * file named, and each file in a directory named, goes once to
 * LLVMFuzzerTestOneInput, in a buffer of its exact size. Built with the
 * project's compiler and flags (make fuzz-replay), so that make check
 * runs the regression corpus in seconds, under the sanitizers with
 * SANITIZE=1. A harness that finds a fault aborts; a file that cannot be
 * read exits 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t replayed;

/* Runs one file through the harness; -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	FILE *f;
	struct stat st;
	unsigned char *data;
	size_t size;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0 || st.st_size < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out;
	}
	size = (size_t)st.st_size;
	if ((data = malloc(size > 0 ? size : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		goto out;
	}
	if (size > 0 && fread(data, 1, size, f) != size) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(data);
		goto out;
	}
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	replayed++;
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* Every regular file of a directory, in no particular order. */
static int
replay_dir(const char *dir)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
		        de->d_name) >= sizeof path) {
			fprintf(stderr, "replay: %s: name too long\n", dir);
			rc = -1;
			continue;
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i]) < 0)
				rc = 1;
		} else if (replay_file(argv[i]) < 0)
			rc = 1;
	}
	/* stderr: a harness may have sent stdout to /dev/null */
	fprintf(stderr, "replayed %zu inputs\n", replayed);
	return rc;
}
