"""Executable semantics of every IR level: the numpy reference interpreter
(`finn_xdsl.sim.execute.execute`), the host/partition split and stream formats (`host`),
and the token-level timing model (`tokensim`). The simulators of generated hardware that
are checked against it live in `finn_xdsl.verify`."""
