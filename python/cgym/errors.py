"""The exception hierarchy of cgym.

Every failure that cgym raises is a :class:`CgymError`. Each C error code of cgym/error.h maps
to one subclass, which also derives from the closest built-in exception, so ``except
ValueError`` and ``except LookupError`` keep working for callers that know nothing of cgym.
"""


class CgymError(Exception):
    """Base class of every cgym exception.

    Attributes:
        code: the C error code (a negative int) or None for errors found in Python.
    """

    code = None

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidArgumentError(CgymError, ValueError):
    """An argument or option value is invalid (CGYM_EINVAL)."""

    code = -1


class NotFoundError(CgymError, LookupError):
    """A named suite, benchmark, space, action or file does not exist (CGYM_ENOTFOUND)."""

    code = -2


class CgymIOError(CgymError, OSError):
    """Reading or writing a file or pipe failed (CGYM_EIO)."""

    code = -3


class OutOfMemoryError(CgymError, MemoryError):
    """An allocation failed (CGYM_ENOMEM)."""

    code = -4


class ChecksumError(CgymError):
    """Data does not match its pinned SHA-256 (CGYM_ECHECKSUM)."""

    code = -5


class ArchiveError(CgymError):
    """An archive is corrupt, truncated or unsafe to extract (CGYM_EARCHIVE)."""

    code = -6


class DownloadError(CgymError):
    """Every URL and mirror of a download failed (CGYM_EDOWNLOAD)."""

    code = -7


class BuildError(CgymError):
    """Compiling or linking a benchmark failed (CGYM_EBUILD)."""

    code = -8


class ParseError(CgymError):
    """LLVM could not parse a module, or the module fails the verifier (CGYM_EPARSE)."""

    code = -9


class LlvmError(CgymError):
    """LLVM rejected a pass pipeline or a pass failed (CGYM_ELLVM)."""

    code = -10


class StateError(CgymError):
    """The call is not valid in the env's current state, e.g. step before reset (CGYM_ESTATE)."""

    code = -11


class SignatureError(CgymError):
    """A signature or a subject digest does not verify (CGYM_ESIGNATURE)."""

    code = -12


class CryptoError(CgymError):
    """A libcrypto operation failed (CGYM_ECRYPTO)."""

    code = -13


class LimitError(CgymError):
    """A size taken from outside exceeds its named maximum (CGYM_ELIMIT)."""

    code = -14


class FormatError(CgymError, ValueError):
    """A file or text does not follow its documented format (CGYM_EFORMAT)."""

    code = -15


_BY_CODE = {
    cls.code: cls
    for cls in (
        InvalidArgumentError, NotFoundError, CgymIOError, OutOfMemoryError, ChecksumError,
        ArchiveError, DownloadError, BuildError, ParseError, LlvmError, StateError,
        SignatureError, CryptoError, LimitError, FormatError,
    )
}


def error_from_code(code, message):
    """Create the exception for a C error code.

    Args:
        code: a negative code of enum cgym_error.
        message: the message that the failing C function recorded.

    Returns:
        An instance of the matching :class:`CgymError` subclass, or of :class:`CgymError` itself
        for a code that this version of the package does not know.

    Example:
        >>> error = error_from_code(-2, "unknown observation space 'Autofase'")
        >>> isinstance(error, NotFoundError), isinstance(error, LookupError)
        (True, True)
    """
    error = _BY_CODE.get(code, CgymError)(message)
    error.code = code
    return error
