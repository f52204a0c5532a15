"""
Pass registry: pass name -> factory returning the pass class, lazy as xDSL's own.

One pass per file, the file named after the pass with '-' replaced by '_'
(`lower-conv` lives in `lower_conv.py`, class `LowerConvPass`).
"""

from collections.abc import Callable
from importlib import import_module

from xdsl.passes import ModulePass

# pass name -> class name in finn_xdsl/passes/<pass name with '_'>.py
_PASSES = {
    "qonnx-to-thresholds": "QonnxToThresholdsPass",
    "streamline": "StreamlinePass",
    "lower-conv": "LowerConvPass",
    "convert-to-dataflow": "ConvertToDataflowPass",
    "to-dataflow": "ToDataflowPass",
    "specialize": "SpecializePass",
    "minimize-bitwidths": "MinimizeBitwidthsPass",
    "set-folding": "SetFoldingPass",
    "apply-folding": "ApplyFoldingPass",
    "to-folded": "ToFoldedPass",
    "legalize-layers": "LegalizeLayersPass",
    "lower-to-hw": "LowerToHwPass",
    "insert-dwc": "InsertDwcPass",
    "insert-fifos": "InsertFifosPass",
    "size-fifos": "SizeFifosPass",
}


def _factory(name: str, cls: str) -> Callable[[], type[ModulePass]]:
    def load() -> type[ModulePass]:
        return getattr(import_module(f"finn_xdsl.passes.{name.replace('-', '_')}"), cls)

    return load


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Every finn-xdsl pass, by its command-line name."""
    return {name: _factory(name, cls) for name, cls in _PASSES.items()}
