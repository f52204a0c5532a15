// finn-opt reports a user's mistake as one `error:` line on stderr and exits with 1: no
// traceback, no module dump. The -NOT lines around each message make sure that no
// traceback comes before it and nothing at all after it.

// RUN: not finn-opt %inputs/does_not_exist.mlir 2>&1 | filecheck %s --check-prefix=MISSING
// MISSING-NOT: Traceback
// MISSING: error: {{.*}}Inputs/does_not_exist.mlir: No such file or directory
// MISSING-NOT: {{.}}

// RUN: not finn-opt %inputs/does_not_exist.onnx 2>&1 | filecheck %s --check-prefix=MISSING-ONNX
// MISSING-ONNX: error: {{.*}}Inputs/does_not_exist.onnx: No such file or directory
// MISSING-ONNX-NOT: {{.}}

// RUN: not finn-opt %inputs/not_onnx.onnx 2>&1 | filecheck %s --check-prefix=NOT-ONNX
// NOT-ONNX-NOT: Traceback
// NOT-ONNX: error: {{.*}}Inputs/not_onnx.onnx: not an ONNX model ({{.*}})
// NOT-ONNX-NOT: {{.}}

// RUN: not finn-opt %inputs/model.txt 2>&1 | filecheck %s --check-prefix=SUFFIX
// SUFFIX-NOT: Traceback
// SUFFIX: error: {{.*}}Inputs/model.txt: Unrecognized file extension 'txt'; use .mlir or .onnx, or -f
// SUFFIX-NOT: {{.}}

// Invalid IR: the op and its ONNX node name, then the verifier's message.
// RUN: not finn-opt %inputs/invalid_ir.mlir 2>&1 | filecheck %s --check-prefix=INVALID
// INVALID-NOT: Traceback
// INVALID: error: {{.*}}Inputs/invalid_ir.mlir: qonnx.conv 'Conv_0': group 3 must divide input channels 3 and output channels 4
// INVALID-NOT: {{.}}

// The same from stdin, and after a pass pipeline was requested.
// RUN: not finn-opt < %inputs/invalid_ir.mlir 2>&1 | filecheck %s --check-prefix=INVALID-STDIN
// RUN: not finn-opt -p cse < %inputs/invalid_ir.mlir 2>&1 | filecheck %s --check-prefix=INVALID-STDIN
// INVALID-STDIN-NOT: Traceback
// INVALID-STDIN: error: stdin: qonnx.conv 'Conv_0': group 3 must divide input channels 3 and output channels 4
// INVALID-STDIN-NOT: {{.}}

// A syntax error: file:line:col and the parser's message.
// RUN: not finn-opt %inputs/parse_error.mlir 2>&1 | filecheck %s --check-prefix=PARSE
// PARSE-NOT: Traceback
// PARSE: error: {{.*}}Inputs/parse_error.mlir:4:3: type expected
// PARSE-NOT: {{.}}

// RUN: not finn-opt < %inputs/parse_error.mlir 2>&1 | filecheck %s --check-prefix=PARSE-STDIN
// PARSE-STDIN-NOT: Traceback
// PARSE-STDIN: error: stdin:4:3: type expected
// PARSE-STDIN-NOT: {{.}}

// --debug adds the traceback (for bug reports) and still ends with the error line.
// RUN: not finn-opt --debug %inputs/invalid_ir.mlir 2>&1 | filecheck %s --check-prefix=DEBUG
// DEBUG: Traceback (most recent call last):
// DEBUG: error: {{.*}}Inputs/invalid_ir.mlir: qonnx.conv 'Conv_0': group 3 must divide

// An unknown pass or pass option: one line naming the pipeline and the passes there are.
// RUN: not finn-opt -p no-such-pass %inputs/invalid_ir.mlir 2>&1 | filecheck %s --check-prefix=PASS
// PASS-NOT: Traceback
// PASS: error: pass pipeline 'no-such-pass': Unrecognized passes: ['no-such-pass']; available passes: canonicalize, cse, dce, qonnx-to-thresholds, streamline, lower-conv, convert-to-dataflow, to-dataflow, {{.*}}
// PASS-NOT: {{.}}

// RUN: not finn-opt -p 'cse{foo=1}' %inputs/invalid_ir.mlir 2>&1 | filecheck %s --check-prefix=PASS-OPT
// PASS-OPT: error: pass pipeline 'cse{foo=1}': {{.*}}"foo"{{.*}}
// PASS-OPT-NOT: {{.}}
