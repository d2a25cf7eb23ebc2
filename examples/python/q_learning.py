"""Train a tabular Q-learning agent on csmith programs and compare its code size with -Oz.

The agent observes four Autophase features, each bucketed by log2, and picks one of a few LLVM 19
passes per step. Its reward is IrInstructionCountOz, so an episode reward of 1.0 removes as
many instructions as LLVM's default<Oz> pipeline does. Needs only cgym, gymnasium and numpy.

Usage:
    python q_learning.py --seeds 1-4 --episodes 40 --steps 12
"""

import argparse
import math
from collections import defaultdict

import numpy as np

import cgym

FEATURES = ("NumAllocaInst", "NumPHIInst", "NumLoadInst", "TotalBlocks")
PASSES = ("mem2reg", "sroa", "instcombine", "simplifycfg", "early-cse", "gvn", "adce", "dse",
          "sccp", "reassociate", "licm", "loop-rotate", "jump-threading", "inline", "globalopt",
          "deadargelim")


def parse_seeds(text):
    """Parse "1-4" or "1,3,7" into a list of ints."""
    if "-" in text:
        first, last = (int(part) for part in text.split("-", 1))
        return list(range(first, last + 1))
    return [int(part) for part in text.split(",")]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1-4",
                        help="csmith-v0 seeds to train and evaluate on, e.g. 1-4 (default 1-4)")
    parser.add_argument("--episodes", type=int, default=40,
                        help="training episodes, cycling over the seeds (default 40)")
    parser.add_argument("--steps", type=int, default=12, help="steps per episode (default 12)")
    parser.add_argument("--epsilon", type=float, default=0.2,
                        help="probability of a random action while training (default 0.2)")
    parser.add_argument("--alpha", type=float, default=0.2, help="learning rate (default 0.2)")
    parser.add_argument("--gamma", type=float, default=0.9, help="discount (default 0.9)")
    parser.add_argument("--cache", default=None,
                        help="suite cache folder (default $CGYM_CACHE or ~/.cache/cgym)")
    return parser.parse_args(argv)


class Agent:
    """Q-table over bucketed features and a fixed subset of the action space."""

    def __init__(self, env, args, rng):
        names = cgym.observation_space_info("Autophase").element_names
        self.features = [names.index(name) for name in FEATURES]
        self.actions = [env.action_space[name] for name in PASSES]
        self.q = defaultdict(lambda: np.zeros(len(PASSES)))
        self.args = args
        self.rng = rng

    def key(self, observation):
        return tuple(min(int(math.log2(1 + int(observation[i]))), 15) for i in self.features)

    def choose(self, key, explore):
        if explore and self.rng.random() < self.args.epsilon:
            return int(self.rng.integers(len(self.actions)))
        return int(np.argmax(self.q[key]))

    def update(self, key, choice, reward, next_key):
        target = reward + self.args.gamma * float(np.max(self.q[next_key]))
        self.q[key][choice] += self.args.alpha * (target - self.q[key][choice])


def run_episode(env, agent, benchmark, steps, explore):
    """Run one episode; return (episode reward, final instruction count)."""
    observation, _ = env.reset(options={"benchmark": benchmark})
    key = agent.key(observation)
    total = 0.0
    for _ in range(steps):
        choice = agent.choose(key, explore)
        observation, reward, terminated, truncated, _ = env.step(agent.actions[choice])
        next_key = agent.key(observation)
        if explore:
            agent.update(key, choice, reward, next_key)
        key = next_key
        total += reward
        if terminated or truncated:
            break
    return total, env.unwrapped.instruction_count


def main(argv=None):
    args = parse_args(argv)
    benchmarks = [f"generator://csmith-v0/{seed}" for seed in parse_seeds(args.seeds)]
    rng = np.random.default_rng(0)

    with cgym.make("llvm-autophase-ic-v0", cache_dir=args.cache) as env:
        env.reset(seed=0)
        agent = Agent(env.unwrapped, args, rng)
        for episode in range(args.episodes):
            run_episode(env, agent, benchmarks[episode % len(benchmarks)], args.steps, True)

        print(f"{'benchmark':<28} {'built':>7} {'-Oz':>7} {'agent':>7} {'reward':>7}")
        rewards = []
        for benchmark in benchmarks:
            reward, count = run_episode(env, agent, benchmark, args.steps, False)
            c_built, c_oz = env.unwrapped.baselines
            rewards.append(reward)
            print(f"{benchmark:<28} {c_built:>7} {c_oz:>7} {count:>7} {reward:>7.3f}")

    # A reward of 1.0 removes exactly as many instructions as -Oz; the mean is over benchmarks.
    print(f"mean reduction relative to -Oz: {float(np.mean(rewards)):.3f} "
          f"(1.000 matches -Oz) after {args.episodes} training episodes")


if __name__ == "__main__":
    main()
