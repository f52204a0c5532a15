# Stand-ins for the Vitis HLS commands of the `hls_syn_<L>.tcl` scripts `-t hls` writes, for
# a structural check without Vitis:
#
#     cd <hls dir>/<L> && tclsh vitis_stubs.tcl hls_syn_<L>.tcl
#
# (from the script's folder, as `vitis_hls -f` runs it). Sources the script with every
# vitis_hls command replaced by a procedure that checks it against the real filesystem and
# the C++ it was given, and fails with one line `vitis-stub: <why>` on: an unknown command or
# option, a missing source file or include folder, commands out of order (project ->
# solution -> part and clock -> csynth_design -> export_design -> exit), a top function that
# the added C++ does not define, a top parameter that is no `hls::stream<ap_uint<W>>&`
# AXI-Stream port named in<k>_V/out<k>_V, a port without `#pragma HLS INTERFACE axis`, a top
# without `ap_ctrl_none` (the IP would grow ap_start/ap_done ports our stitching lacks), or an
# export that is not an ip_catalog with an explicit vendor, library and version. On success
# prints `vitis-stub: ok ...` with the exported VLNV and the IP's ports.
#
# `vivado_stubs.tcl` loads this file into a child interpreter to learn what each HLS layer's
# script exports (`vstub::run`): the VLNV, the Verilog top and its ports, and the folders
# vitis_hls would write (<project>/<solution>/impl/ip and impl/verilog).

source [file join [file dirname [file normalize [info script]]] stub_opts.tcl]

namespace eval vstub {
    variable st [dict create]   ;# project pdir solution top files part clock csynth ports export exited
}

proc vstub::fail {msg} { error "vitis-stub: $msg" }

# opts CMD ARGS FLAGS VALUED -> dict with the options given and "pos" (stub_opts.tcl)
proc vstub::opts {cmd arglist flags valued} {
    return [stubopts::parse vstub::fail $cmd $arglist $flags $valued]
}

proc vstub::need {cmd args} {
    variable st
    if {[dict exists $st exited]} { vstub::fail "$cmd after exit" }
    foreach {key what} $args {
        if {![dict exists $st $key]} { vstub::fail "$cmd before $what" }
    }
}

proc unknown {args} { vstub::fail "unknown command '[lindex $args 0]'" }

proc open_project {args} {
    variable ::vstub::st
    set o [vstub::opts open_project $args {reset} {}]
    if {[llength [dict get $o pos]] != 1} { vstub::fail "open_project: expected one project name" }
    if {[dict exists $vstub::st project]} { vstub::fail "open_project: a second project" }
    vstub::need open_project
    set name [lindex [dict get $o pos] 0]
    dict set vstub::st project $name
    dict set vstub::st pdir [file normalize $name]
    return ""
}

proc set_top {args} {
    vstub::need set_top project open_project
    if {[llength $args] != 1} { vstub::fail "set_top: expected one function name" }
    dict set vstub::st top [lindex $args 0]
    return ""
}

proc add_files {args} {
    vstub::need add_files project open_project
    set o [vstub::opts add_files $args {tb} {cflags csimflags}]
    if {[llength [dict get $o pos]] == 0} { vstub::fail "add_files: no file" }
    if {[dict exists $o cflags]} {
        set flags [dict get $o cflags]
        for {set i 0} {$i < [llength $flags]} {incr i} {
            set f [lindex $flags $i]
            if {$f eq "-I"} { incr i; set f "-I[lindex $flags $i]" }
            if {[string match -I* $f] && ![file isdirectory [string range $f 2 end]]} {
                vstub::fail "add_files: include folder [string range $f 2 end] (from [pwd]) does not exist"
            }
        }
    }
    foreach f [dict get $o pos] {
        if {![file isfile $f]} { vstub::fail "add_files: file not found: $f (from [pwd])" }
        if {![dict exists $o tb]} { dict lappend vstub::st files [file normalize $f] }
    }
    return ""
}

proc open_solution {args} {
    vstub::need open_solution project open_project
    set o [vstub::opts open_solution $args {reset} {flow_target}]
    if {[llength [dict get $o pos]] != 1} { vstub::fail "open_solution: expected one solution name" }
    if {[dict exists $vstub::st solution]} { vstub::fail "open_solution: a second solution" }
    if {[dict exists $o flow_target] && [dict get $o flow_target] ne "vivado"} {
        vstub::fail "open_solution: -flow_target [dict get $o flow_target] exports no Vivado IP"
    }
    dict set vstub::st solution [lindex [dict get $o pos] 0]
    return ""
}

proc set_part {args} {
    vstub::need set_part solution open_solution
    if {[llength $args] != 1} { vstub::fail "set_part: expected one part" }
    dict set vstub::st part [lindex $args 0]
    return ""
}

proc create_clock {args} {
    vstub::need create_clock solution open_solution
    set o [vstub::opts create_clock $args {} {period name}]
    if {![dict exists $o period] || ![string is double -strict [dict get $o period]] || [dict get $o period] <= 0} {
        vstub::fail "create_clock: -period must be a positive number of ns"
    }
    if {[llength [dict get $o pos]]} { vstub::fail "create_clock: unexpected [dict get $o pos]" }
    dict set vstub::st clock [dict get $o period]
    return ""
}

# The top function's ports, from its definition in the added C++: {name in|out width} each.
proc vstub::top_ports {top} {
    set text ""
    foreach f [dict get $vstub::st files] {
        set fh [open $f r]
        append text [read $fh] "\n"
        close $fh
    }
    set re [string map [list TOP $top] {(?:^|\n)\s*void\s+TOP\s*\(([^)]*)\)\s*\{(.*)}]
    if {![regexp $re $text -> params body]} {
        vstub::fail "csynth_design: no definition of the top function 'void ${top}(' in [join [lmap f [dict get $vstub::st files] {file tail $f}] {, }]"
    }
    set pragmas {}
    foreach line [split $body "\n"] {
        if {[regexp {^\s*\}} $line]} { break }
        if {[regexp {^\s*#pragma\s+HLS\s+INTERFACE\s+(.*)$} $line -> p]} { lappend pragmas [string trim $p] }
    }
    set axis {}
    set ctrl_none 0
    foreach p $pragmas {
        regsub -all {\s*=\s*} $p = p
        set mode ""
        set port ""
        foreach w [split $p] {
            if {[regexp {^port=(\w+)$} $w -> v]} { set port $v } elseif {[regexp {^mode=(\w+)$} $w -> v]} { set mode $v } elseif {$w ne ""} { set mode $w }
        }
        if {$mode eq "axis"} { lappend axis $port }
        if {$mode eq "ap_ctrl_none" && $port eq "return"} { set ctrl_none 1 }
    }
    if {!$ctrl_none} { vstub::fail "csynth_design: $top has no '#pragma HLS INTERFACE ap_ctrl_none port=return' (the IP would have ap_start/ap_done)" }
    set ports {}
    foreach param [split $params ","] {
        set param [string trim $param]
        if {![regexp {^hls::stream\s*<\s*ap_uint\s*<\s*(\d+)\s*>\s*>\s*&\s*(\w+)$} $param -> width name]} {
            vstub::fail "csynth_design: parameter '$param' of $top is not an hls::stream<ap_uint<W>>&"
        }
        if {![regexp {^(in|out)\d+_V$} $name -> dir]} { vstub::fail "csynth_design: port $name of $top is not named in<k>_V/out<k>_V" }
        if {$name ni $axis} { vstub::fail "csynth_design: port $name of $top has no '#pragma HLS INTERFACE axis'" }
        if {$width % 8} { vstub::fail "csynth_design: port $name of $top is $width bits wide, not a multiple of 8" }
        lappend ports [list $name $dir $width]
    }
    if {![llength $ports]} { vstub::fail "csynth_design: $top has no ports" }
    return $ports
}

proc csynth_design {args} {
    vstub::need csynth_design solution open_solution top set_top files add_files part set_part clock create_clock
    if {[llength $args]} { vstub::fail "csynth_design: unexpected arguments $args" }
    dict set vstub::st ports [vstub::top_ports [dict get $vstub::st top]]
    dict set vstub::st csynth 1
    return ""
}

proc export_design {args} {
    vstub::need export_design csynth csynth_design
    set o [vstub::opts export_design $args {} {format vendor library version ipname display_name description rtl taxonomy}]
    if {[llength [dict get $o pos]]} { vstub::fail "export_design: unexpected [dict get $o pos]" }
    if {![dict exists $o format] || [dict get $o format] ne "ip_catalog"} { vstub::fail "export_design: -format must be ip_catalog" }
    foreach k {vendor library version} {
        if {![dict exists $o $k]} { vstub::fail "export_design: no -$k (Vitis would pick its own)" }
    }
    set name [expr {[dict exists $o ipname] ? [dict get $o ipname] : [dict get $vstub::st top]}]
    dict set vstub::st export "[dict get $o vendor]:[dict get $o library]:$name:[dict get $o version]"
    return ""
}

# `exit` ends the script, not the checking interpreter
rename ::exit ::vstub::real_exit
proc ::exit {{code 0}} {
    if {$code != 0} { vstub::fail "exit $code" }
    dict set vstub::st exited 1
    return -code return
}

# Run SCRIPT (from the current folder); the dict of what it exports, or a `vitis-stub:` error.
proc vstub::run {script} {
    set vstub::st [dict create]
    if {[catch {uplevel #0 [list source $script]} msg]} {
        if {![string match "vitis-stub: *" $msg]} { set msg "vitis-stub: [lindex [split $msg \n] 0]" }
        error "vitis-stub: [file tail $script]: [string range $msg 12 end]"
    }
    foreach {k what} {export export_design exited exit} {
        if {![dict exists $vstub::st $k]} { vstub::fail "[file tail $script]: never ran $what" }
    }
    set base [file join [dict get $vstub::st pdir] [dict get $vstub::st solution] impl]
    return [dict create vlnv [dict get $vstub::st export] top [dict get $vstub::st top] \
        ports [dict get $vstub::st ports] ipdir [file join $base ip] vdir [file join $base verilog] \
        part [dict get $vstub::st part] clock [dict get $vstub::st clock]]
}

if {[info exists argv0] && [file tail $argv0] eq "vitis_stubs.tcl"} {
    if {[llength $argv] != 1} { puts stderr "vitis-stub: usage: tclsh vitis_stubs.tcl SCRIPT.tcl"; vstub::real_exit 1 }
    if {[catch {vstub::run [lindex $argv 0]} r]} {
        puts stderr $r
        vstub::real_exit 1
    }
    set ports [join [lmap p [dict get $r ports] { format "%s\[%d\]" [lindex $p 0] [lindex $p 2] }]]
    puts "vitis-stub: ok [file tail [lindex $argv 0]]: exports [dict get $r vlnv], top [dict get $r top], ports $ports"
    vstub::real_exit 0
}
