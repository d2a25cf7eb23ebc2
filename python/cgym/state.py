"""Episode states: what an episode did, in a form that replays to the same module.

A state names the benchmark (URI and SHA-256 of its bytes), the action space and the steps
since reset. Its text form and CompilerGym's state CSV are written and parsed by the C core;
this module only wraps them.
"""

import ctypes
from dataclasses import dataclass

from cgym import _capi
from cgym._capi import lib
from cgym.errors import InvalidArgumentError


class State:
    """An episode state in cgym's text form.

    Args:
        text: the text form, as :meth:`to_text` writes it.

    Raises:
        FormatError: when the text does not follow the form; the message names the line.

    Attributes:
        benchmark: the benchmark's URI.
        sha256: lowercase hex SHA-256 of the benchmark's bytes, or "" when not pinned.
        action_space: the action space id, e.g. "llvm19-passes-v1".
        steps: one tuple per step, in order: ("action", NAME), ("pipeline", TEXT), or, for steps
            on one function or loop, ("function", INDEX, NAME) and ("loop", INDEX, NAME).

    Example:
        >>> state = State("cgym-state 1\\nbenchmark generator://csmith-v0/1\\nsha256 -\\n"
        ...               "action-space llvm19-passes-v1\\naction mem2reg\\n")
        >>> state.benchmark, state.actions
        ('generator://csmith-v0/1', ['mem2reg'])
    """

    def __init__(self, text):
        if not isinstance(text, str):
            raise InvalidArgumentError(f"expected the state's text as a str, got "
                                       f"{type(text).__name__}")
        parsed = ctypes.POINTER(_capi.State)()
        _capi.check(lib.cgym_state_parse(ctypes.byref(parsed), _capi.encode(text)))
        try:
            self._read(parsed)
        finally:
            lib.cgym_state_free(parsed)

    @classmethod
    def _from_c(cls, pointer):
        state = cls.__new__(cls)
        state._read(pointer)
        return state

    def _read(self, pointer):
        c = pointer.contents
        self.benchmark = _capi.decode(c.benchmark)
        self.sha256 = c.sha256.decode()
        self.action_space = _capi.decode(c.action_space)
        self.steps = []
        for step in c.steps[: c.step_count]:
            if step.kind in (1, 2):
                kind = "function" if step.kind == 1 else "loop"
                self.steps.append((kind, step.target, step.action.decode()))
            elif step.action is not None:
                self.steps.append(("action", step.action.decode()))
            else:
                self.steps.append(("pipeline", step.pipeline.decode()))
        text = ctypes.c_void_p()
        _capi.check(lib.cgym_state_format(ctypes.byref(text), pointer))
        self._text = _capi.take_string(text)

    @property
    def actions(self):
        """Names of the steps that ran an action of the action space, in order."""
        return [step[1] for step in self.steps if step[0] == "action"]

    def to_text(self):
        """Return the text form, which :class:`State` parses back to an equal state."""
        return self._text

    def _c_state(self):
        parsed = ctypes.POINTER(_capi.State)()
        _capi.check(lib.cgym_state_parse(ctypes.byref(parsed), _capi.encode(self._text)))
        return parsed

    def to_csv(self, reward=None, walltime=0.0):
        """Write the state as CompilerGym's state CSV: a header row and one row.

        Args:
            reward: cumulative episode reward, or None to leave the column empty.
            walltime: seconds the episode took.

        Returns:
            The CSV text.

        Raises:
            InvalidArgumentError: for a step that has no CompilerGym flag.

        Example:
            >>> state = State("cgym-state 1\\nbenchmark generator://csmith-v0/1\\nsha256 -\\n"
            ...               "action-space llvm19-passes-v1\\naction mem2reg\\n")
            >>> print(state.to_csv(), end="")
            benchmark,reward,walltime,commandline
            generator://csmith-v0/1,,0,opt -mem2reg input.bc -o output.bc
        """
        parsed = self._c_state()
        try:
            text = ctypes.c_void_p()
            _capi.check(lib.cgym_state_csv_write(
                ctypes.byref(text), parsed, 0 if reward is None else 1,
                0.0 if reward is None else float(reward), float(walltime)))
            return _capi.take_string(text)
        finally:
            lib.cgym_state_free(parsed)

    def __eq__(self, other):
        return isinstance(other, State) and self._text == other._text

    def __hash__(self):
        return hash(self._text)

    def __str__(self):
        return self._text

    def __repr__(self):
        return f"State({self._text!r})"


@dataclass(frozen=True)
class CsvState:
    """One row of a CompilerGym state CSV.

    Attributes:
        state: the benchmark and the steps whose flags map to the pass action space (not pinned).
        reward: the recorded cumulative reward, or None when the column is empty.
        walltime: seconds, 0.0 when the column is empty.
        unmapped: legacy flags with no LLVM 19 action; a row with any cannot replay exactly.
    """

    state: State
    reward: object
    walltime: float
    unmapped: tuple


def read_csv(text):
    """Parse a CompilerGym state CSV, with or without its header row.

    Args:
        text: the CSV text.

    Returns:
        A list of :class:`CsvState`, one per row.

    Raises:
        FormatError: for a malformed row; the message names its line.

    Example:
        >>> rows = read_csv("benchmark,reward,walltime,commandline\\n"
        ...                 "benchmark://cbench-v1/crc32,0.5,1.2,opt -mem2reg -gvn-sink "
        ...                 "input.bc -o output.bc\\n")
        >>> rows[0].state.actions, rows[0].reward, rows[0].unmapped
        (['mem2reg'], 0.5, ('-gvn-sink',))
    """
    if not isinstance(text, str):
        raise InvalidArgumentError(f"expected the CSV as a str, got {type(text).__name__}")
    rows = ctypes.POINTER(_capi.CsvRow)()
    count = ctypes.c_size_t()
    _capi.check(lib.cgym_state_csv_read(ctypes.byref(rows), ctypes.byref(count),
                                        _capi.encode(text)))
    try:
        return [
            CsvState(
                state=State._from_c(row.state),
                reward=row.reward if row.has_reward else None,
                walltime=row.walltime,
                unmapped=tuple(row.unmapped[i].decode() for i in range(row.unmapped_count)),
            )
            for row in rows[: count.value]
        ]
    finally:
        lib.cgym_csv_rows_free(rows, count.value)
