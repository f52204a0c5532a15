"""The stream packer now lives with the layer library (`finn_xdsl.kernels.packing`); this
name stays for the scripts under benchmarks/ that still import it from here."""

from finn_xdsl.kernels.packing import decode, encode, pack_beats, unpack_beats  # noqa: F401
