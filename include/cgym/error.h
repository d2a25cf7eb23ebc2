#ifndef CGYM_ERROR_H
#define CGYM_ERROR_H

/*
 * Error codes and the thread-local error message.
 *
 * Every fallible cgym function returns an int: CGYM_OK (0) on success or one of the negative codes
 * below. The function that detects a failure stores a message naming the value and the fix; callers
 * pass the code up unchanged, so cgym_error_message() still describes the first failure. Codes are
 * only ever appended, never renumbered.
 */

#ifdef __cplusplus
extern "C" {
#endif

enum cgym_error {
  CGYM_OK = 0,
  CGYM_EINVAL = -1,      /* an argument or option value is invalid (programmer or user error) */
  CGYM_ENOTFOUND = -2,   /* a named suite, benchmark, agent, action, key or file does not exist */
  CGYM_EIO = -3,         /* reading or writing a file or pipe failed */
  CGYM_ENOMEM = -4,      /* an allocation failed */
  CGYM_ECHECKSUM = -5,   /* data does not match its pinned SHA-256 */
  CGYM_EARCHIVE = -6,    /* an archive is corrupt, truncated or unsafe to extract */
  CGYM_EDOWNLOAD = -7,   /* every URL and mirror of a download failed */
  CGYM_EBUILD = -8,      /* compiling or linking a benchmark failed */
  CGYM_EPARSE = -9,      /* LLVM could not parse a module, or the module fails the verifier */
  CGYM_ELLVM = -10,      /* LLVM rejected a pass pipeline or a pass failed */
  CGYM_ESTATE = -11,     /* the call is not valid in the object's current state (step before reset) */
  CGYM_ESIGNATURE = -12, /* a signature or a subject digest does not verify */
  CGYM_ECRYPTO = -13,    /* a libcrypto operation failed (key generation, signing, hashing) */
  CGYM_ELIMIT = -14,     /* a size taken from outside exceeds its named maximum */
  CGYM_EFORMAT = -15,    /* a JSON file does not follow its documented format */
};

/* Returns the message of the last failure on this thread; never NULL, "" when none was recorded.
 * The string stays valid until the next cgym call on this thread that fails. */
const char *cgym_error_message(void);

/* Returns a constant, human-readable name for an error code ("checksum mismatch", ...). */
const char *cgym_strerror(int code);

/* Clears the thread-local message. */
void cgym_error_clear(void);

#ifdef __cplusplus
}
#endif

#endif
