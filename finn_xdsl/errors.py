"""
User-facing errors.

A `FinnError` carries one line that says what went wrong, where (file, node name, op)
and what to do about it. The command-line tools print it as `error: <line>` and exit 1;
anything else that escapes is a bug in finn-xdsl and keeps its traceback.
"""


class FinnError(Exception):
    """An error caused by the user's input, reported as one line without a traceback."""

    def __init__(self, message: str):
        # a user error must stay on one line however it was built
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        return str(self)


class LoweringError(FinnError):
    """A node a pass cannot lower: which pass, which op and node, and why.

    e.g. `lower-conv: qonnx.conv 'Conv_3': group 2 convolutions do not lower to mvau yet`.
    """

    def __init__(self, pass_name: str, op, why: str):
        node_name = op.properties.get("node_name") if hasattr(op, "properties") else None
        where = f"{op.name} '{node_name.data}'" if node_name is not None else op.name
        super().__init__(f"{pass_name}: {where}: {why}")
