/*
 * errno values and getaddrinfo error codes to and from the atoms OTP
 * spells them with. The errno table follows erl_errno_id() (the names of
 * inet:posix()): the lowercase form of the <errno.h> macro, and where two
 * macros share a value the name OTP gives (enotsup, eagain, edeadlk)
 * comes first, since lookups by value take the first row that matches.
 * Linux errnos that erl_errno_id() does not know are named here too
 * (OTP would say unknown). Result tuples are built in result.c.
 */
#include "compat.h"

#include <errno.h>
#include <netdb.h>
#include <stddef.h>

#include "errnames.h"
#include "util.h"

const struct term_name err_names[] = {
#ifdef E2BIG
    {E2BIG, "e2big"},
#endif
#ifdef EACCES
    {EACCES, "eacces"},
#endif
#ifdef EADDRINUSE
    {EADDRINUSE, "eaddrinuse"},
#endif
#ifdef EADDRNOTAVAIL
    {EADDRNOTAVAIL, "eaddrnotavail"},
#endif
#ifdef EADV
    {EADV, "eadv"},
#endif
#ifdef EAFNOSUPPORT
    {EAFNOSUPPORT, "eafnosupport"},
#endif
#ifdef EAGAIN
    {EAGAIN, "eagain"},
#endif
#ifdef EALIGN
    {EALIGN, "ealign"},
#endif
#ifdef EALREADY
    {EALREADY, "ealready"},
#endif
#ifdef EAUTH
    {EAUTH, "eauth"},
#endif
#ifdef EBADARCH
    {EBADARCH, "ebadarch"},
#endif
#ifdef EBADE
    {EBADE, "ebade"},
#endif
#ifdef EBADEXEC
    {EBADEXEC, "ebadexec"},
#endif
#ifdef EBADF
    {EBADF, "ebadf"},
#endif
#ifdef EBADFD
    {EBADFD, "ebadfd"},
#endif
#ifdef EBADMACHO
    {EBADMACHO, "ebadmacho"},
#endif
#ifdef EBADMSG
    {EBADMSG, "ebadmsg"},
#endif
#ifdef EBADR
    {EBADR, "ebadr"},
#endif
#ifdef EBADRPC
    {EBADRPC, "ebadrpc"},
#endif
#ifdef EBADRQC
    {EBADRQC, "ebadrqc"},
#endif
#ifdef EBADSLT
    {EBADSLT, "ebadslt"},
#endif
#ifdef EBFONT
    {EBFONT, "ebfont"},
#endif
#ifdef EBUSY
    {EBUSY, "ebusy"},
#endif
#ifdef ECANCELED
    {ECANCELED, "ecanceled"},
#endif
#ifdef ECAPMODE
    {ECAPMODE, "ecapmode"},
#endif
#ifdef ECHILD
    {ECHILD, "echild"},
#endif
#ifdef ECHRNG
    {ECHRNG, "echrng"},
#endif
#ifdef ECOMM
    {ECOMM, "ecomm"},
#endif
#ifdef ECONNABORTED
    {ECONNABORTED, "econnaborted"},
#endif
#ifdef ECONNREFUSED
    {ECONNREFUSED, "econnrefused"},
#endif
#ifdef ECONNRESET
    {ECONNRESET, "econnreset"},
#endif
#ifdef EDEADLK
    {EDEADLK, "edeadlk"},
#endif
#ifdef EDEADLOCK
    {EDEADLOCK, "edeadlock"},
#endif
#ifdef EDESTADDRREQ
    {EDESTADDRREQ, "edestaddrreq"},
#endif
#ifdef EDEVERR
    {EDEVERR, "edeverr"},
#endif
#ifdef EDIRTY
    {EDIRTY, "edirty"},
#endif
#ifdef EDOM
    {EDOM, "edom"},
#endif
#ifdef EDOOFUS
    {EDOOFUS, "edoofus"},
#endif
#ifdef EDOTDOT
    {EDOTDOT, "edotdot"},
#endif
#ifdef EDQUOT
    {EDQUOT, "edquot"},
#endif
#ifdef EDUPPKG
    {EDUPPKG, "eduppkg"},
#endif
#ifdef EEXIST
    {EEXIST, "eexist"},
#endif
#ifdef EFAULT
    {EFAULT, "efault"},
#endif
#ifdef EFBIG
    {EFBIG, "efbig"},
#endif
#ifdef EFTYPE
    {EFTYPE, "eftype"},
#endif
#ifdef EHOSTDOWN
    {EHOSTDOWN, "ehostdown"},
#endif
#ifdef EHOSTUNREACH
    {EHOSTUNREACH, "ehostunreach"},
#endif
#ifdef EHWPOISON
    {EHWPOISON, "ehwpoison"},
#endif
#ifdef EIDRM
    {EIDRM, "eidrm"},
#endif
#ifdef EILSEQ
    {EILSEQ, "eilseq"},
#endif
#ifdef EINIT
    {EINIT, "einit"},
#endif
#ifdef EINPROGRESS
    {EINPROGRESS, "einprogress"},
#endif
#ifdef EINTEGRITY
    {EINTEGRITY, "eintegrity"},
#endif
#ifdef EINTR
    {EINTR, "eintr"},
#endif
#ifdef EINVAL
    {EINVAL, "einval"},
#endif
#ifdef EIO
    {EIO, "eio"},
#endif
#ifdef EISCONN
    {EISCONN, "eisconn"},
#endif
#ifdef EISDIR
    {EISDIR, "eisdir"},
#endif
#ifdef EISNAM
    {EISNAM, "eisnam"},
#endif
#ifdef EKEYEXPIRED
    {EKEYEXPIRED, "ekeyexpired"},
#endif
#ifdef EKEYREJECTED
    {EKEYREJECTED, "ekeyrejected"},
#endif
#ifdef EKEYREVOKED
    {EKEYREVOKED, "ekeyrevoked"},
#endif
#ifdef EL2HLT
    {EL2HLT, "el2hlt"},
#endif
#ifdef EL2NSYNC
    {EL2NSYNC, "el2nsync"},
#endif
#ifdef EL3HLT
    {EL3HLT, "el3hlt"},
#endif
#ifdef EL3RST
    {EL3RST, "el3rst"},
#endif
#ifdef ELBIN
    {ELBIN, "elbin"},
#endif
#ifdef ELIBACC
    {ELIBACC, "elibacc"},
#endif
#ifdef ELIBBAD
    {ELIBBAD, "elibbad"},
#endif
#ifdef ELIBEXEC
    {ELIBEXEC, "elibexec"},
#endif
#ifdef ELIBMAX
    {ELIBMAX, "elibmax"},
#endif
#ifdef ELIBSCN
    {ELIBSCN, "elibscn"},
#endif
#ifdef ELNRNG
    {ELNRNG, "elnrng"},
#endif
#ifdef ELOOP
    {ELOOP, "eloop"},
#endif
#ifdef EMEDIUMTYPE
    {EMEDIUMTYPE, "emediumtype"},
#endif
#ifdef EMFILE
    {EMFILE, "emfile"},
#endif
#ifdef EMLINK
    {EMLINK, "emlink"},
#endif
#ifdef EMSGSIZE
    {EMSGSIZE, "emsgsize"},
#endif
#ifdef EMULTIHOP
    {EMULTIHOP, "emultihop"},
#endif
#ifdef ENAMETOOLONG
    {ENAMETOOLONG, "enametoolong"},
#endif
#ifdef ENAVAIL
    {ENAVAIL, "enavail"},
#endif
#ifdef ENEEDAUTH
    {ENEEDAUTH, "eneedauth"},
#endif
#ifdef ENET
    {ENET, "enet"},
#endif
#ifdef ENETDOWN
    {ENETDOWN, "enetdown"},
#endif
#ifdef ENETRESET
    {ENETRESET, "enetreset"},
#endif
#ifdef ENETUNREACH
    {ENETUNREACH, "enetunreach"},
#endif
#ifdef ENFILE
    {ENFILE, "enfile"},
#endif
#ifdef ENOANO
    {ENOANO, "enoano"},
#endif
#ifdef ENOATTR
    {ENOATTR, "enoattr"},
#endif
#ifdef ENOBUFS
    {ENOBUFS, "enobufs"},
#endif
#ifdef ENOCSI
    {ENOCSI, "enocsi"},
#endif
#ifdef ENODATA
    {ENODATA, "enodata"},
#endif
#ifdef ENODEV
    {ENODEV, "enodev"},
#endif
#ifdef ENOENT
    {ENOENT, "enoent"},
#endif
#ifdef ENOEXEC
    {ENOEXEC, "enoexec"},
#endif
#ifdef ENOKEY
    {ENOKEY, "enokey"},
#endif
#ifdef ENOLCK
    {ENOLCK, "enolck"},
#endif
#ifdef ENOLINK
    {ENOLINK, "enolink"},
#endif
#ifdef ENOMEDIUM
    {ENOMEDIUM, "enomedium"},
#endif
#ifdef ENOMEM
    {ENOMEM, "enomem"},
#endif
#ifdef ENOMSG
    {ENOMSG, "enomsg"},
#endif
#ifdef ENONET
    {ENONET, "enonet"},
#endif
#ifdef ENOPKG
    {ENOPKG, "enopkg"},
#endif
#ifdef ENOPOLICY
    {ENOPOLICY, "enopolicy"},
#endif
#ifdef ENOPROTOOPT
    {ENOPROTOOPT, "enoprotoopt"},
#endif
#ifdef ENOSPC
    {ENOSPC, "enospc"},
#endif
#ifdef ENOSR
    {ENOSR, "enosr"},
#endif
#ifdef ENOSTR
    {ENOSTR, "enostr"},
#endif
#ifdef ENOSYM
    {ENOSYM, "enosym"},
#endif
#ifdef ENOSYS
    {ENOSYS, "enosys"},
#endif
#ifdef ENOTBLK
    {ENOTBLK, "enotblk"},
#endif
#ifdef ENOTCAPABLE
    {ENOTCAPABLE, "enotcapable"},
#endif
#ifdef ENOTCONN
    {ENOTCONN, "enotconn"},
#endif
#ifdef ENOTDIR
    {ENOTDIR, "enotdir"},
#endif
#ifdef ENOTEMPTY
    {ENOTEMPTY, "enotempty"},
#endif
#ifdef ENOTNAM
    {ENOTNAM, "enotnam"},
#endif
#ifdef ENOTRECOVERABLE
    {ENOTRECOVERABLE, "enotrecoverable"},
#endif
#ifdef ENOTSOCK
    {ENOTSOCK, "enotsock"},
#endif
/* OTP: Linux's shared value of ENOTSUP and EOPNOTSUPP is enotsup. */
#ifdef ENOTSUP
    {ENOTSUP, "enotsup"},
#endif
#ifdef ENOTTY
    {ENOTTY, "enotty"},
#endif
#ifdef ENOTUNIQ
    {ENOTUNIQ, "enotuniq"},
#endif
#ifdef ENXIO
    {ENXIO, "enxio"},
#endif
#ifdef EOPNOTSUPP
    {EOPNOTSUPP, "eopnotsupp"},
#endif
#ifdef EOVERFLOW
    {EOVERFLOW, "eoverflow"},
#endif
#ifdef EOWNERDEAD
    {EOWNERDEAD, "eownerdead"},
#endif
#ifdef EPERM
    {EPERM, "eperm"},
#endif
#ifdef EPFNOSUPPORT
    {EPFNOSUPPORT, "epfnosupport"},
#endif
#ifdef EPIPE
    {EPIPE, "epipe"},
#endif
#ifdef EPROCLIM
    {EPROCLIM, "eproclim"},
#endif
#ifdef EPROCUNAVAIL
    {EPROCUNAVAIL, "eprocunavail"},
#endif
#ifdef EPROGMISMATCH
    {EPROGMISMATCH, "eprogmismatch"},
#endif
#ifdef EPROGUNAVAIL
    {EPROGUNAVAIL, "eprogunavail"},
#endif
#ifdef EPROTO
    {EPROTO, "eproto"},
#endif
#ifdef EPROTONOSUPPORT
    {EPROTONOSUPPORT, "eprotonosupport"},
#endif
#ifdef EPROTOTYPE
    {EPROTOTYPE, "eprototype"},
#endif
#ifdef EPWROFF
    {EPWROFF, "epwroff"},
#endif
#ifdef EQFULL
    {EQFULL, "eqfull"},
#endif
#ifdef ERANGE
    {ERANGE, "erange"},
#endif
#ifdef EREFUSED
    {EREFUSED, "erefused"},
#endif
#ifdef EREMCHG
    {EREMCHG, "eremchg"},
#endif
#ifdef EREMDEV
    {EREMDEV, "eremdev"},
#endif
#ifdef EREMOTE
    {EREMOTE, "eremote"},
#endif
#ifdef EREMOTEIO
    {EREMOTEIO, "eremoteio"},
#endif
#ifdef EREMOTERELEASE
    {EREMOTERELEASE, "eremoterelease"},
#endif
#ifdef ERESTART
    {ERESTART, "erestart"},
#endif
#ifdef ERFKILL
    {ERFKILL, "erfkill"},
#endif
#ifdef EROFS
    {EROFS, "erofs"},
#endif
#ifdef ERPCMISMATCH
    {ERPCMISMATCH, "erpcmismatch"},
#endif
#ifdef ERREMOTE
    {ERREMOTE, "erremote"},
#endif
#ifdef ESHLIBVERS
    {ESHLIBVERS, "eshlibvers"},
#endif
#ifdef ESHUTDOWN
    {ESHUTDOWN, "eshutdown"},
#endif
#ifdef ESOCKTNOSUPPORT
    {ESOCKTNOSUPPORT, "esocktnosupport"},
#endif
#ifdef ESPIPE
    {ESPIPE, "espipe"},
#endif
#ifdef ESRCH
    {ESRCH, "esrch"},
#endif
#ifdef ESRMNT
    {ESRMNT, "esrmnt"},
#endif
#ifdef ESTALE
    {ESTALE, "estale"},
#endif
#ifdef ESTRPIPE
    {ESTRPIPE, "estrpipe"},
#endif
#ifdef ESUCCESS
    {ESUCCESS, "esuccess"},
#endif
#ifdef ETIME
    {ETIME, "etime"},
#endif
#ifdef ETIMEDOUT
    {ETIMEDOUT, "etimedout"},
#endif
#ifdef ETOOMANYREFS
    {ETOOMANYREFS, "etoomanyrefs"},
#endif
#ifdef ETXTBSY
    {ETXTBSY, "etxtbsy"},
#endif
#ifdef EUCLEAN
    {EUCLEAN, "euclean"},
#endif
#ifdef EUNATCH
    {EUNATCH, "eunatch"},
#endif
#ifdef EUSERS
    {EUSERS, "eusers"},
#endif
#ifdef EVERSION
    {EVERSION, "eversion"},
#endif
#ifdef EWOULDBLOCK
    {EWOULDBLOCK, "ewouldblock"},
#endif
#ifdef EXDEV
    {EXDEV, "exdev"},
#endif
#ifdef EXFULL
    {EXFULL, "exfull"},
#endif
};
const size_t err_nnames = NELEMS(err_names);

/*
 * OTP (prim_net_nif.c) names getaddrinfo and getnameinfo errors after
 * the EAI_ constant with an "e" in front, and codes it does not know
 * einval. net.c turns getnameinfo's EAI_SYSTEM into the errno, as OTP.
 */
static const struct term_name eainames[] = {
#ifdef EAI_ADDRFAMILY
    {EAI_ADDRFAMILY, "eaddrfamily"},
#endif
#ifdef EAI_AGAIN
    {EAI_AGAIN, "eagain"},
#endif
#ifdef EAI_BADFLAGS
    {EAI_BADFLAGS, "ebadflags"},
#endif
#ifdef EAI_FAIL
    {EAI_FAIL, "efail"},
#endif
#ifdef EAI_FAMILY
    {EAI_FAMILY, "efamily"},
#endif
#ifdef EAI_MEMORY
    {EAI_MEMORY, "emem"},
#endif
#ifdef EAI_NODATA
    {EAI_NODATA, "enodata"},
#endif
#ifdef EAI_NONAME
    {EAI_NONAME, "enoname"},
#endif
#ifdef EAI_OVERFLOW
    {EAI_OVERFLOW, "eoverflow"},
#endif
#ifdef EAI_SERVICE
    {EAI_SERVICE, "eservice"},
#endif
#ifdef EAI_SOCKTYPE
    {EAI_SOCKTYPE, "esocktype"},
#endif
#ifdef EAI_SYSTEM
    {EAI_SYSTEM, "esystem"},
#endif
};

static const char *
lookup_name(const struct term_name *tab, size_t n, int value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i].value == value)
			return tab[i].name;
	return NULL;
}

const char *
err_name(int value)
{
	return lookup_name(err_names, err_nnames, value);
}

int
err_value(const char *name)
{
	const struct term_name *row =
	    term_name_find_str(err_names, err_nnames, name);

	return row != NULL ? row->value : -1;
}

term
err_eai(int code)
{
	const char *name = lookup_name(eainames, NELEMS(eainames), code);

	return term_atom(name != NULL ? name : "einval");
}
