# Stand-ins for the Vivado commands finn-xdsl's `-t tcl` scripts use, for a structural check
# without Vivado:
#
#     tclsh vivado_stubs.tcl SCRIPT.tcl
#
# sources SCRIPT (so `info script` and relative paths behave as under Vivado) with every
# Vivado command replaced by a procedure that records what it did and checks it against the
# real filesystem and the HDL it was given. A cell's pins come from the port list of the
# module it references, parsed from the added .sv/.v files: `<p>_TDATA/_TVALID/_TREADY`
# group into an AXI-Stream interface pin `<p>` (Slave when TDATA is an input), any other
# port is a plain pin. Exits 1 with one line `vivado-stub: <why>` on: an unknown command or
# option, a missing file, a cell or port used before it was created, a pin its cell does not
# have, a pin or port connected twice, mismatched stream modes or widths, a cell pin or
# external port left unconnected, and a project flow left unfinished. Prints `vivado-stub:
# ok ...` and exits 0 otherwise.
#
# HLS layers (issue 7, vivado_stubs_hls.tcl): an IP cell `create_bd_cell -type ip -vlnv V`
# exists only when the layer's hls_syn_<L>.tcl, checked under vitis_stubs.tcl, exports exactly
# V; its pins come from the C++ top function. A top module's plain `module instance (` lines
# must name modules that were read (synth_design).

source [file join [file dirname [file normalize [info script]]] stub_opts.tcl]

namespace eval stub {
    variable script ""
    variable files [dict create]      ;# added/read file (normalised) -> 1
    variable virtual [dict create]    ;# files Vivado itself would generate -> 1
    variable modules [dict create]    ;# module -> list of {port dir width}
    variable project ""
    variable proj_dir ""
    variable bd ""
    variable bd_file ""
    variable cells [dict create]      ;# cell -> referenced module
    variable pins [dict create]       ;# cell/pin -> {kind intf|net mode Slave|Master|in|out width W}
    variable ports [dict create]      ;# port -> {kind intf|net mode ... width W}
    variable used [dict create]       ;# connected endpoint -> 1
    variable state [dict create]      ;# flow milestones (validated, saved, wrapper, core, top, synth)
    variable memrefs [dict create]    ;# memory-init file named by a *FILE parameter -> HDL naming it
    variable instances [dict create]  ;# module -> modules it instantiates (plain `mod inst (` lines)
    variable hls [dict create]        ;# HLS layer folder -> what its script exports ({} when none)
    variable vmodules [dict create]   ;# virtual Verilog file -> {module ports}
    variable repos {}                 ;# the project's ip_repo_paths
    variable catalog [dict create]    ;# VLNV -> the export record (ports, part, clock ...; vitis_stubs.tcl)
    variable part ""                  ;# the project's part
    variable freq_hz 0                ;# the block design's clock (create_bd_port -freq_hz)
    variable vitis [file join [file dirname [file normalize [info script]]] vitis_stubs.tcl]
}

proc stub::fail {msg} {
    puts stderr "vivado-stub: $msg"
    exit 1
}

# Every command not defined here is one the stubs do not know: a typo or a new command.
proc unknown {args} {
    stub::fail "unknown command '[lindex $args 0]'"
}

# opts CMD ARGS FLAGS VALUED -> dict with the options given and "pos" (stub_opts.tcl)
proc stub::opts {cmd arglist flags valued} {
    return [stubopts::parse stub::fail $cmd $arglist $flags $valued]
}

# ------------------------------------------------------------------------------ files

proc stub::parse_hdl {path} {
    variable modules
    set fh [open $path r]
    set text [read $fh]
    close $fh
    foreach {- f} [regexp -all -inline {parameter\s+(?:string\s+)?\w*FILE\s*=\s*"([^"]+)"} $text] {
        dict set stub::memrefs $f $path
    }
    set current ""
    set body ""
    foreach line [split $text "\n"] {
        if {[regexp {^\s*module\s+(\w+)} $line -> name]} {
            if {[dict exists $modules $name]} { stub::fail "module $name is defined twice ($path)" }
            set current $name
            set body $name
            dict set modules $name {}
            continue
        }
        if {$body ne "" && [regexp {^\s*endmodule} $line]} { set body ""; continue }
        if {$body ne "" && [regexp {^\s*(\w+)\s+(\w+)\s*\(\s*$} $line -> mod -] && $mod ne "module"} {
            dict lappend stub::instances $body $mod
        }
        if {$current eq ""} { continue }
        if {[regexp {^\s*\);} $line]} { set current ""; continue }
        set re {^\s*(?:\(\*[^*]*\*\)\s*)?(input|output)\s+(?:logic|wire|reg)?\s*(?:\[([^\]]*)\])?\s*(\w+)}
        if {[regexp $re $line -> dir range port]} {
            set width 1
            if {$range ne ""} {
                if {[regexp {^\s*(\d+)\s*:\s*0\s*$} $range -> hi]} { set width [expr {$hi + 1}] } else { set width -1 }
            }
            dict lappend modules $current [list $port [expr {$dir eq "input" ? "in" : "out"}] $width]
        }
    }
}

proc stub::add_file {cmd path} {
    variable files
    variable virtual
    set path [file normalize $path]
    if {[dict exists $files $path]} { stub::fail "$cmd: $path added twice" }
    if {![file exists $path] && ![dict exists $virtual $path]} { stub::fail "$cmd: file not found: $path" }
    dict set files $path 1
    if {[dict exists $stub::vmodules $path]} {  ;# vitis_hls's Verilog top of an HLS layer
        lassign [dict get $stub::vmodules $path] name ports
        if {[dict exists $stub::modules $name]} { stub::fail "module $name is defined twice ($path)" }
        dict set stub::modules $name $ports
    } elseif {[stub::real_file exists $path] && [file extension $path] in {.sv .v}} {
        stub::parse_hdl $path
    }
}

# HLS layers: virtual IP and Verilog files, the IP catalogue (vivado_stubs_hls.tcl)
source [file join [file dirname [file normalize [info script]]] vivado_stubs_hls.tcl]

proc create_project {args} {
    set o [stub::opts create_project $args {force} {part}]
    if {[llength [dict get $o pos]] != 2} { stub::fail "create_project: expected NAME DIR" }
    if {![dict exists $o part]} { stub::fail "create_project: no -part" }
    lassign [dict get $o pos] stub::project dir
    set stub::proj_dir [file normalize $dir]
    set stub::part [dict get $o part]
    return "project:$stub::project"
}

proc stub::need_project {cmd} {
    if {$stub::project eq ""} { stub::fail "$cmd before create_project" }
}

proc current_project {} { stub::need_project current_project; return "project:$stub::project" }
proc current_fileset {} { stub::need_project current_fileset; return "fileset:sources_1" }
proc update_compile_order {args} { stub::need_project update_compile_order; stub::opts update_compile_order $args {} {fileset}; return "" }
proc close_project {} { stub::need_project close_project; dict set stub::state closed 1; return "" }

proc add_files {args} {
    set o [stub::opts add_files $args {norecurse} {fileset}]
    if {[llength [dict get $o pos]] == 0} { stub::fail "add_files: no file" }
    foreach f [concat {*}[dict get $o pos]] { stub::add_file add_files $f }
    return ""
}

proc get_files {args} {
    set o [stub::opts get_files $args {} {of_objects}]
    set found {}
    foreach pat [concat {*}[dict get $o pos]] {
        set hit {}
        dict for {f -} $stub::files {
            if {$f eq [file normalize $pat] || [string match $pat $f] || [file tail $f] eq $pat} { lappend hit $f }
        }
        if {$hit eq {}} { stub::fail "get_files: no added file matches $pat" }
        lappend found {*}$hit
    }
    return $found
}

proc set_property {args} {
    set o [stub::opts set_property $args {} {dict}]
    set pos [dict get $o pos]
    if {[dict exists $o dict]} {
        if {[llength $pos] != 1} { stub::fail "set_property -dict: expected one object list" }
        set props [dict get $o dict]
        set objs [lindex $pos 0]
    } else {
        if {[llength $pos] != 3} { stub::fail "set_property: expected NAME VALUE OBJECTS, got $pos" }
        set props [lrange $pos 0 1]
        set objs [lindex $pos 2]
    }
    if {[llength $props] % 2} { stub::fail "set_property: odd property list $props" }
    if {$objs eq ""} { stub::fail "set_property [lindex $props 0]: no object" }
    foreach obj $objs {
        foreach {k v} $props {
            if {[string match project:* $obj] && $k eq "ip_repo_paths"} { set stub::repos $v }
            if {[string match intf_port:* $obj] && $k eq "CONFIG.TDATA_NUM_BYTES"} {
                dict set stub::ports [string range $obj 10 end] width [expr {8 * $v}]
            }
            if {$obj eq "fileset:sources_1" && $k eq "top"} {
                if {![dict exists $stub::modules $v]} { stub::fail "set_property top: no module $v" }
                dict set stub::state top $v
            }
        }
    }
    return ""
}

# ------------------------------------------------------------------------------ block design

proc stub::need_bd {cmd} {
    if {$stub::bd eq ""} { stub::fail "$cmd before create_bd_design" }
}

proc create_bd_design {name} {
    stub::need_project create_bd_design
    if {$stub::bd ne ""} { stub::fail "create_bd_design: a second design $name" }
    set stub::bd $name
    set stub::bd_file [file normalize [file join $stub::proj_dir $stub::project.srcs sources_1 bd $name $name.bd]]
    dict set stub::virtual $stub::bd_file 1
    dict set stub::files $stub::bd_file 1
    return $name
}

proc create_bd_cell {args} {
    stub::need_bd create_bd_cell
    set o [stub::opts create_bd_cell $args {} {type reference vlnv}]
    if {[llength [dict get $o pos]] != 1} { stub::fail "create_bd_cell: expected one cell name" }
    set name [dict get $o pos]
    if {[dict exists $stub::cells $name]} { stub::fail "create_bd_cell: cell $name created twice" }
    set type [expr {[dict exists $o type] ? [dict get $o type] : ""}]
    if {$type eq "module" && [dict exists $o reference] && ![dict exists $o vlnv]} {
        set ref [dict get $o reference]
        if {![dict exists $stub::modules $ref]} { stub::fail "create_bd_cell $name: module $ref is in no added file" }
        set ports [dict get $stub::modules $ref]
    } elseif {$type eq "ip" && [dict exists $o vlnv] && ![dict exists $o reference]} {
        set ref [dict get $o vlnv]
        if {![dict exists $stub::catalog $ref]} {
            stub::fail "create_bd_cell $name: IP $ref is in no IP repository (catalogued: [join [dict keys $stub::catalog] {, }])"
        }
        set ports [dict get $stub::catalog $ref modports]
    } else {
        stub::fail "create_bd_cell $name: only -type module -reference MODULE and -type ip -vlnv VLNV cells are known"
    }
    dict set stub::cells $name $ref
    set sigs [dict create]
    foreach p $ports {
        lassign $p port dir width
        if {[regexp {^(\w+)_(TDATA|TVALID|TREADY)$} $port -> intf sig]} {
            dict set sigs $intf $sig [list $dir $width]
        } else {
            dict set stub::pins $name/$port [dict create kind net mode $dir width $width]
        }
    }
    dict for {intf s} $sigs {
        if {[dict size $s] != 3} { stub::fail "create_bd_cell $name: $intf lacks one of TDATA/TVALID/TREADY" }
        lassign [dict get $s TDATA] dir width
        dict set stub::pins $name/$intf [dict create kind intf mode [expr {$dir eq "in" ? "Slave" : "Master"}] width $width]
    }
    return "cell:$name"
}

proc stub::get_pins {cmd kind names} {
    set out {}
    foreach n [concat {*}$names] {
        set cell [file dirname $n]
        if {![dict exists $stub::cells $cell]} { stub::fail "$cmd $n: cell $cell was not created" }
        if {![dict exists $stub::pins $n] || [dict get $stub::pins $n kind] ne $kind} {
            stub::fail "$cmd $n: cell $cell (module [dict get $stub::cells $cell]) has no such pin"
        }
        lappend out "pin:$n"
    }
    return $out
}

proc stub::get_ports {cmd kind names} {
    set out {}
    foreach n [concat {*}$names] {
        if {![dict exists $stub::ports $n] || [dict get $stub::ports $n kind] ne $kind} {
            stub::fail "$cmd $n: no such port was created"
        }
        lappend out [expr {$kind eq "intf" ? "intf_port:$n" : "port:$n"}]
    }
    return $out
}

proc get_bd_cells {args} {
    foreach n [concat {*}$args] { if {![dict exists $stub::cells $n]} { stub::fail "get_bd_cells: no cell $n" } }
    return $args
}
proc get_bd_intf_pins {args} { stub::need_bd get_bd_intf_pins; stub::get_pins get_bd_intf_pins intf $args }
proc get_bd_pins {args} { stub::need_bd get_bd_pins; stub::get_pins get_bd_pins net $args }
proc get_bd_intf_ports {args} { stub::need_bd get_bd_intf_ports; stub::get_ports get_bd_intf_ports intf $args }
proc get_bd_ports {args} { stub::need_bd get_bd_ports; stub::get_ports get_bd_ports net $args }

proc create_bd_port {args} {
    stub::need_bd create_bd_port
    set o [stub::opts create_bd_port $args {} {dir type freq_hz from to}]
    set name [dict get $o pos]
    if {[llength $name] != 1 || [dict exists $stub::ports $name]} { stub::fail "create_bd_port: bad or repeated name $name" }
    set dir [expr {[dict exists $o dir] ? [dict get $o dir] : ""}]
    if {$dir ni {I O}} { stub::fail "create_bd_port $name: -dir I or O needed" }
    dict set stub::ports $name [dict create kind net mode [expr {$dir eq "I" ? "in" : "out"}] width 1]
    if {[dict exists $o freq_hz]} { set stub::freq_hz [dict get $o freq_hz] }
    return "port:$name"
}

proc create_bd_intf_port {args} {
    stub::need_bd create_bd_intf_port
    set o [stub::opts create_bd_intf_port $args {} {mode vlnv}]
    set name [dict get $o pos]
    if {[llength $name] != 1 || [dict exists $stub::ports $name]} { stub::fail "create_bd_intf_port: bad or repeated name $name" }
    if {![dict exists $o vlnv] || [dict get $o vlnv] ne "xilinx.com:interface:axis_rtl:1.0"} {
        stub::fail "create_bd_intf_port $name: only AXI-Stream (axis_rtl) ports are known"
    }
    set mode [expr {[dict exists $o mode] ? [dict get $o mode] : ""}]
    if {$mode ni {Slave Master}} { stub::fail "create_bd_intf_port $name: -mode Slave or Master needed" }
    dict set stub::ports $name [dict create kind intf mode $mode width -1]
    return "intf_port:$name"
}

# endpoint handle -> {name is_port info}
proc stub::endpoint {cmd h} {
    if {[regexp {^pin:(.*)$} $h -> n]} { return [list $n 0 [dict get $stub::pins $n]] }
    if {[regexp {^(?:intf_)?port:(.*)$} $h -> n]} { return [list $n 1 [dict get $stub::ports $n]] }
    stub::fail "$cmd: '$h' is no pin or port handle"
}

proc stub::use {cmd name} {
    if {[dict exists $stub::used $name]} { stub::fail "$cmd: $name is connected twice" }
    dict set stub::used $name 1
}

proc connect_bd_intf_net {args} {
    stub::need_bd connect_bd_intf_net
    if {[llength $args] != 2} { stub::fail "connect_bd_intf_net: expected two interface ends, got [llength $args]" }
    lassign [stub::endpoint connect_bd_intf_net [lindex $args 0]] a a_port a_info
    lassign [stub::endpoint connect_bd_intf_net [lindex $args 1]] b b_port b_info
    foreach {n info} [list $a $a_info $b $b_info] {
        if {[dict get $info kind] ne "intf"} { stub::fail "connect_bd_intf_net: $n is not an interface" }
    }
    set am [dict get $a_info mode]
    set bm [dict get $b_info mode]
    if {$a_port != $b_port} {
        if {$am ne $bm} { stub::fail "connect_bd_intf_net: external port and pin differ in mode ($a $am, $b $bm)" }
    } elseif {$a_port} {
        stub::fail "connect_bd_intf_net: $a and $b are both external ports"
    } elseif {$am eq $bm} {
        stub::fail "connect_bd_intf_net: $a and $b are both $am interfaces"
    }
    set aw [dict get $a_info width]
    set bw [dict get $b_info width]
    if {$aw > 0 && $bw > 0 && $aw != $bw} { stub::fail "connect_bd_intf_net: TDATA widths differ ($a $aw, $b $bw)" }
    stub::use connect_bd_intf_net $a
    stub::use connect_bd_intf_net $b
    return ""
}

proc connect_bd_net {args} {
    stub::need_bd connect_bd_net
    set ends [concat {*}$args]
    if {[llength $ends] < 2} { stub::fail "connect_bd_net: fewer than two ends" }
    set drivers 0
    foreach h $ends {
        lassign [stub::endpoint connect_bd_net $h] n is_port info
        if {[dict get $info kind] ne "net"} { stub::fail "connect_bd_net: $n is an interface" }
        if {($is_port && [dict get $info mode] eq "in") || (!$is_port && [dict get $info mode] eq "out")} { incr drivers }
        stub::use connect_bd_net $n
    }
    if {$drivers != 1} { stub::fail "connect_bd_net [join $ends]: $drivers drivers" }
    return ""
}

proc stub::check_connected {cmd} {
    dict for {n -} $stub::pins {
        if {![dict exists $stub::used $n]} { stub::fail "$cmd: pin $n of cell [file dirname $n] is unconnected" }
    }
    dict for {n -} $stub::ports {
        if {![dict exists $stub::used $n]} { stub::fail "$cmd: external port $n is unconnected" }
    }
}

proc validate_bd_design {} {
    stub::need_bd validate_bd_design
    stub::check_connected validate_bd_design
    stub::check_ip_targets validate_bd_design
    dict set stub::state validated 1
    return ""
}

proc save_bd_design {} { stub::need_bd save_bd_design; dict set stub::state saved 1; return "" }

proc make_wrapper {args} {
    set o [stub::opts make_wrapper $args {top import} {files}]
    if {![dict exists $o files] || [dict get $o files] ne [list $stub::bd_file]} { stub::fail "make_wrapper: -files is not the block design file" }
    if {![dict exists $stub::state saved]} { stub::fail "make_wrapper before save_bd_design" }
    set w [file normalize [file join $stub::proj_dir $stub::project.gen sources_1 bd $stub::bd hdl ${stub::bd}_wrapper.v]]
    dict set stub::virtual $w 1
    dict set stub::modules ${stub::bd}_wrapper {}
    dict set stub::state wrapper $w
    return $w
}

namespace eval ipx {}

proc ipx::package_project {args} {
    set o [stub::opts ipx::package_project $args {import_files} {root_dir vendor library taxonomy module}]
    foreach k {root_dir vendor library module} {
        if {![dict exists $o $k]} { stub::fail "ipx::package_project: no -$k" }
    }
    if {[dict get $o module] ne $stub::bd} { stub::fail "ipx::package_project: -module [dict get $o module] is not the block design" }
    if {![dict exists $stub::state validated]} { stub::fail "ipx::package_project before validate_bd_design" }
    dict set stub::state core 1
    return "core"
}
proc stub::need_core {cmd c} {
    if {![dict exists $stub::state core] || $c ne "core"} { stub::fail "$cmd: no packaged core '$c'" }
}
proc ipx::current_core {} { stub::need_core ipx::current_core core; return "core" }
proc ipx::create_xgui_files {c} { stub::need_core ipx::create_xgui_files $c; return "" }
proc ipx::update_checksums {c} { stub::need_core ipx::update_checksums $c; return "" }
proc ipx::check_integrity {c} { stub::need_core ipx::check_integrity $c; return "" }
proc ipx::save_core {c} { stub::need_core ipx::save_core $c; dict set stub::state core_saved 1; return "" }

# ------------------------------------------------------------------------------ non-project synthesis

proc read_verilog {args} {
    set o [stub::opts read_verilog $args {sv} {library}]
    foreach f [concat {*}[dict get $o pos]] { stub::add_file read_verilog $f }
    return ""
}

proc read_xdc {args} {
    set o [stub::opts read_xdc $args {} {mode}]
    foreach f [concat {*}[dict get $o pos]] {
        stub::add_file read_xdc $f
        dict lappend stub::state xdc [file normalize $f]
    }
    return ""
}

proc synth_design {args} {
    set o [stub::opts synth_design $args {} {mode part top}]
    foreach k {part top} { if {![dict exists $o $k]} { stub::fail "synth_design: no -$k" } }
    set top [dict get $o top]
    if {![dict exists $stub::modules $top]} { stub::fail "synth_design: top $top is in no file read" }
    if {[dict exists $stub::instances $top]} {
        foreach m [dict get $stub::instances $top] {
            if {![dict exists $stub::modules $m]} { stub::fail "synth_design: $top instantiates $m, which is in no file read" }
        }
    }
    dict set stub::state synth $top
    stub::check_memrefs synth_design 0
    # the constraints name ports of the top
    set names [lmap p [dict get $stub::modules $top] { lindex $p 0 }]
    if {[dict exists $stub::state xdc]} {
        foreach f [dict get $stub::state xdc] {
            set fh [open $f r]
            foreach port [regexp -all -inline {get_ports\s+(\w+)} [read $fh]] {
                if {![string match get_ports* $port] && $port ni $names} { stub::fail "$f: $top has no port $port" }
            }
            close $fh
        }
    }
    return ""
}

proc stub::need_synth {cmd} {
    if {![dict exists $stub::state synth]} { stub::fail "$cmd before synth_design" }
}

proc stub::report {cmd args} {
    stub::need_synth $cmd
    set o [stub::opts $cmd $args {force} {file}]
    set f [expr {[dict exists $o file] ? [dict get $o file] : [lindex [dict get $o pos] 0]}]
    if {$f eq "" || ![file isdirectory [file dirname $f]]} { stub::fail "$cmd: no directory for '$f'" }
    dict lappend stub::state reports $f
    return ""
}
proc report_utilization {args} { stub::report report_utilization {*}$args }
proc report_timing_summary {args} { stub::report report_timing_summary {*}$args }
proc write_checkpoint {args} { stub::report write_checkpoint {*}$args }

# ------------------------------------------------------------------------------ main

# $readmemh resolves a bare name among the project's files (project mode) or from the
# working directory (non-project synthesis)
proc stub::check_memrefs {cmd in_project} {
    dict for {f hdl} $stub::memrefs {
        if {$in_project} {
            set hit 0
            dict for {g -} $stub::files { if {[file tail $g] eq [file tail $f]} { set hit 1 } }
            if {!$hit} { stub::fail "$cmd: memory file $f named by [file tail $hdl] was never added" }
        } elseif {![file exists $f]} {
            stub::fail "$cmd: memory file $f named by [file tail $hdl] is not in the working directory [pwd]"
        }
    }
}

proc stub::finish {} {
    variable state
    if {$stub::bd ne ""} {
        stub::check_connected "end of script"
        stub::check_memrefs "end of script" 1
        foreach {k what} {validated validate_bd_design saved save_bd_design wrapper make_wrapper
                          top "set_property top" core ipx::package_project core_saved ipx::save_core} {
            if {![dict exists $state $k]} { stub::fail "$stub::script never ran $what" }
        }
        if {![dict exists $stub::files [dict get $state wrapper]]} { stub::fail "the block design wrapper was never added" }
        if {[dict get $state top] ne "${stub::bd}_wrapper"} { stub::fail "the top is [dict get $state top], not the wrapper" }
        puts "vivado-stub: ok [file tail $stub::script]: [dict size $stub::cells] cells,\
              [dict size $stub::used] endpoints connected, [dict size $stub::files] files"
    } elseif {[dict exists $state synth]} {
        if {![dict exists $state reports]} { stub::fail "$stub::script wrote no reports" }
        puts "vivado-stub: ok [file tail $stub::script]: top [dict get $state synth], [dict size $stub::files] files"
    } else {
        stub::fail "$stub::script neither built a block design nor ran synth_design"
    }
}

if {[llength $argv] != 1} { stub::fail "usage: tclsh vivado_stubs.tcl SCRIPT.tcl" }
set stub::script [lindex $argv 0]
if {![file exists $stub::script]} { stub::fail "no script $stub::script" }
if {[catch {uplevel #0 [list source $stub::script]} msg]} {
    stub::fail "[file tail $stub::script]: [lindex [split $msg \n] 0]"
}
stub::finish
exit 0
