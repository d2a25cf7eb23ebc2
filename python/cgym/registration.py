"""Environment ids registered with gymnasium under the "cgym/" namespace.

The ids and their default spaces mirror CompilerGym's LLVM environments. CompilerGym's llvm-v0,
llvm-ic-v0 and llvm-codesize-v0 have no observation space, but gymnasium requires one, so they
observe IrInstructionCount. llvm-v0 has no reward in CompilerGym and IrInstructionCountOz here.
Every id ends episodes after MAX_EPISODE_STEPS steps through gymnasium's TimeLimit, because the
LLVM env itself has no terminal state.
"""

import difflib

import gymnasium

from cgym.errors import NotFoundError

NAMESPACE = "cgym"
MAX_EPISODE_STEPS = 200

# id: (observation space, reward space)
ENVIRONMENTS = {
    "llvm-v0": ("IrInstructionCount", "IrInstructionCountOz"),
    "llvm-ic-v0": ("IrInstructionCount", "IrInstructionCountOz"),
    "llvm-codesize-v0": ("IrInstructionCount", "ObjectTextSizeOz"),
    "llvm-autophase-ic-v0": ("Autophase", "IrInstructionCountOz"),
    "llvm-autophase-codesize-v0": ("Autophase", "ObjectTextSizeOz"),
    "llvm-ir-ic-v0": ("Ir", "IrInstructionCountOz"),
    "llvm-ir-codesize-v0": ("Ir", "ObjectTextSizeOz"),
}


def register():
    """Register every id with gymnasium; ids already registered are left as they are."""
    for name, (observation, reward) in ENVIRONMENTS.items():
        env_id = f"{NAMESPACE}/{name}"
        if env_id in gymnasium.registry:
            continue
        gymnasium.register(
            id=env_id,
            entry_point="cgym.env:CgymEnv",
            max_episode_steps=MAX_EPISODE_STEPS,
            kwargs={"observation_space": observation, "reward_space": reward},
        )


def make(env_id, **kwargs):
    """Create a registered environment, with or without the "cgym/" prefix.

    Args:
        env_id: e.g. "llvm-autophase-ic-v0" or "cgym/llvm-autophase-ic-v0".
        **kwargs: arguments of :class:`cgym.CgymEnv` (benchmark, observation_space, ...) and of
            gymnasium.make (max_episode_steps, ...).

    Returns:
        The env wrapped by gymnasium.make (TimeLimit and its checks); env.unwrapped is the
        :class:`cgym.CgymEnv`.

    Raises:
        NotFoundError: for an unknown id; the message suggests the closest one.

    Example:
        >>> env = make("llvm-autophase-ic-v0")
        >>> env.spec.id, env.spec.max_episode_steps
        ('cgym/llvm-autophase-ic-v0', 200)
        >>> env.close()
    """
    name = env_id.removeprefix(f"{NAMESPACE}/") if isinstance(env_id, str) else env_id
    if name not in ENVIRONMENTS:
        close = difflib.get_close_matches(str(name), list(ENVIRONMENTS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NotFoundError(
            f"expected one of the environment ids {', '.join(ENVIRONMENTS)}, got {env_id!r}{hint}"
        )
    return gymnasium.make(f"{NAMESPACE}/{name}", **kwargs)
