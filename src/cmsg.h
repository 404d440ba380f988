/*
 * Control messages (ancillary data) as OTP 25's socket module has them:
 * a received control buffer becomes a list of cmsg() maps (level, type,
 * data and, for the types OTP decodes, value), and the ctrl list of a
 * msg() becomes the bytes sendmsg(2) takes. The descriptors that come in
 * SCM_RIGHTS messages are remembered, so that the session closes those
 * no socket took over. The msg() maps themselves are cmd_msg.c's.
 */
#ifndef ESOCK_CMSG_H
#define ESOCK_CMSG_H

#include <stddef.h>

#include "term.h"

struct buf;

/* How cmsg_list shows a level other than socket. */
enum cmsg_levels {
	CMSG_LEVEL_NAMES,  /* recvmsg: the protocol's name (ip), else N */
	CMSG_LEVEL_NUMBERS /* getopt pktoptions: the number, as the NIF */
};

/*
 * The cmsg() list (owned) of len bytes of control data, as OTP encodes
 * it: #{level, type, data} and value where OTP decodes one; a header
 * that claims more bytes than there are ends the list with bad_data.
 */
term cmsg_list(const void *, size_t, enum cmsg_levels);

/*
 * The ctrl list of a msg() as prim_socket:enc_cmsgs/2 hands it to the
 * NIF: elements that are no map with a level are dropped, and a level
 * atom other than socket becomes its protocol number. Returns 0 with
 * *out set (owned), or -1 with *why (owned): {invalid, {protocol, L}},
 * or, for a ctrl that is no proper list (an exception in OTP),
 * {invalid, {msg, ctrl, #{ctrl => Ctrl}}}.
 */
int cmsg_levels(term, term *, term *);

/*
 * Appends the cmsghdrs of a ctrl list that cmsg_levels gave, as OTP's
 * NIF builds them from data (a binary, an integer or a boolean) or from
 * value, to at most max bytes in all. Returns 0, or -1 when an element
 * is no cmsg OTP can send or they do not fit (the caller reports
 * {invalid, {msg, ctrl, ...}}); b may hold part of them then.
 */
int cmsg_build(term, size_t, struct buf *);

/* {invalid, {msg, ctrl, #{ctrl => Ctrl}}} for a ctrl (borrowed). */
term cmsg_invalid_ctrl(term);

/*
 * Remembers the descriptors of the SCM_RIGHTS messages in len bytes of
 * received control data: they are this session's to close.
 */
void cmsg_fds_keep(const void *, size_t);
/*
 * A socket took the descriptor over (open/2 with dup => false): the
 * session no longer closes it. Returns 1 when it was a received one.
 */
int cmsg_fd_take(int);
/* Closes every received descriptor no socket took over (at exit). */
void cmsg_fds_close_all(void);

#endif
