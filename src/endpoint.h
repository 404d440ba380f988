/*
 * Endpoints: the one syntax relay, serve and the word form take for the
 * two things a relay joins, as socat spells them (case-insensitive):
 *
 *   - | stdio                    standard input and output
 *   tcp:HOST:PORT                tcp-connect:, tcp4:, tcp6: alike
 *   tcp-listen:[ADDR:]PORT       tcp-l:; one connection accepted
 *   udp:HOST:PORT                udp-connect:, udp4:, udp6:
 *   udp-listen:[ADDR:]PORT       udp-l:; the first sender is the peer
 *   unix:PATH, unix-listen:PATH  unix-connect:, unix-l:
 *   abstract:NAME, abstract-listen:NAME
 *   exec:COMMAND LINE            a child of /bin/sh -c on a socketpair
 *   file:PATH                    read from; with create or append, written
 *   echo, discard                built-in services (serve's targets)
 *
 * Options follow after commas: a socket option by its esock name, with
 * =VALUE or alone for true (tcp-listen:8080,reuseaddr,nodelay), or one of
 * the endpoint's own (create, append for file:). A listener sets
 * reuseaddr unless it says reuseaddr=false.
 */
#ifndef ESOCK_ENDPOINT_H
#define ESOCK_ENDPOINT_H

#include <sys/types.h>
#include <sys/socket.h>

#include "relay.h"
#include "term.h"

/* The kinds' names as typed ("tcp:", "echo"), for --list and completion. */
extern const struct term_name endpoint_names[];
extern const size_t endpoint_nnames;

enum endpoint_kind {
	EP_STDIO,
	EP_CONNECT, /* a socket connected to addr */
	EP_LISTEN,  /* a socket bound to addr: listening, or udp's first peer */
	EP_EXEC,
	EP_FILE,
	EP_ECHO,
	EP_DISCARD
};

#define EP_OPTS_MAX 16

struct endpoint {
	enum endpoint_kind kind;
	int domain; /* EP_CONNECT, EP_LISTEN */
	int type;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char *arg;      /* exec's command line, file's or unix-listen's path */
	int file_flags; /* file: O_RDONLY, or O_WRONLY with O_CREAT... */
	size_t nopts;
	struct {
		char *name;
		char *value; /* NULL: true */
	} opts[EP_OPTS_MAX];
};

/*
 * Reads an endpoint's text. Returns 0, or -1 with *why the reason
 * (owned): {invalid, {endpoint, Text}}, {invalid, {option, Name}} or a
 * name resolution error, naming the bad part.
 */
int endpoint_parse(const char *, struct endpoint *, term *);
void endpoint_free(struct endpoint *);
/*
 * An address (a sockaddr() map) alone: a stream connect to it. Returns 0,
 * or -1 with *why as sa_decode's reason in {error, ...}.
 */
int endpoint_connect_to(term, struct endpoint *, term *);
/* Nonzero when the endpoint listens (tcp-listen:, unix-listen:, ...). */
int endpoint_listens(const struct endpoint *);

/* What an opened endpoint holds, for endpoint_close. */
struct endpoint_open {
	struct relay_end end;
	struct sock *s; /* an esock socket made for it, or NULL */
	int fds[2];     /* descriptors to close, -1 for none */
	pid_t pid;      /* exec's child, or 0 */
	char *unlink;   /* a socket file to remove, or NULL */
};

/*
 * Opens the endpoint for one relay. A listener takes one connection and
 * closes (udp-listen: keeps its socket, whose first sender becomes the
 * peer); a connect is started non-blocking and finishes under the relay.
 * Returns 0, or -1 with *why the reason (owned).
 */
int endpoint_open(const struct endpoint *, struct endpoint_open *, term *);
/*
 * The listening socket of a listen endpoint (for serve), registered as
 * an esock socket. Returns it, or NULL with *why set (owned).
 */
struct sock *endpoint_listen(const struct endpoint *, term *);
/* Closes what endpoint_open opened, and reaps its child. */
void endpoint_close(struct endpoint_open *);
/* Sets one option by its esock name on a socket. Returns 0 or -1. */
int endpoint_setopt(struct sock *, const char *, const char *, term *);

#endif
