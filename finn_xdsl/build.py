"""
The build flow's former home, kept so that `from finn_xdsl.build import build` and
`finn_xdsl.build.build(...)` go on working: everything lives in `finn_xdsl.flow`.
"""

from finn_xdsl.flow import (  # noqa: F401  (re-exported)
    DEFAULT_TARGET_FPS,
    MARKER,
    BuildResult,
    build,
    execute_shape,
    sample_input_path,
    verification_inputs,
)
