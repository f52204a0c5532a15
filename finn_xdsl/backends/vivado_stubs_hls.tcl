# Part of the Vivado stand-ins (sourced by vivado_stubs.tcl): what the HLS layers add.
#
# What vitis_hls would produce is known without running it. Any path inside
# `<L dir>/project_<L>/<solution>/impl/...` makes the stubs check `<L dir>/hls_syn_<L>.tcl`
# under `vitis_stubs.tcl` (in a child interpreter, from the script's own folder); when that
# script exports an IP, its folder, component.xml, Verilog folder and Verilog top `<top>.v`
# exist for `file exists/isfile/isdirectory`, `glob -directory` and the stubbed Vivado
# commands (virtually, next to any real files; a missing script leaves them missing, so the
# generated scripts' own "run hls_synth.sh first" errors fire). `update_ip_catalog`
# catalogues the VLNV each repository's script exports; the IP's ports (and those of the
# virtual `<top>.v`) come from the top function's signature and pragmas in the C++.

# A path inside <L dir>/project_<L>/<solution>/impl/...: check <L dir>/hls_syn_<L>.tcl once
# and, when it exports, make its IP folder, component.xml, Verilog folder and top exist.
proc stub::hls_touch {path} {
    if {![regexp {^(.*)/project_([^/]+)/[^/]+/impl(?:/.*)?$} $path -> ldir layer]} { return }
    if {[dict exists $stub::hls $ldir]} { return }
    dict set stub::hls $ldir {}
    set script [stub::real_file join $ldir hls_syn_$layer.tcl]
    if {![stub::real_file exists $script]} { return }  ;# nothing exports it: its files stay missing
    set child [interp create]
    set here [pwd]
    cd $ldir
    set failed [catch {
        $child eval [list source $stub::vitis]
        $child eval [list vstub::run $script]
    } r]
    cd $here
    interp delete $child
    if {$failed} { stub::fail [string range $r 12 end] }  ;# "vitis-stub: hls_syn_<L>.tcl: why"
    set ports [list {ap_clk in 1} {ap_rst_n in 1}]
    foreach p [dict get $r ports] {
        lassign $p name dir width
        set back [expr {$dir eq "in" ? "out" : "in"}]
        lappend ports [list ${name}_TDATA $dir $width] [list ${name}_TVALID $dir 1] [list ${name}_TREADY $back 1]
    }
    dict set r modports $ports
    dict set stub::hls $ldir $r
    set top [stub::real_file join [dict get $r vdir] [dict get $r top].v]
    foreach f [list [dict get $r ipdir] [stub::real_file join [dict get $r ipdir] component.xml] [dict get $r vdir] $top] {
        dict set stub::virtual $f 1
    }
    dict set stub::vmodules $top [list [dict get $r top] $ports]
}

# `file exists/isfile/isdirectory` and `glob -directory` also see the virtual HLS files
rename ::file ::stub::real_file
proc ::file {sub args} {
    if {$sub in {exists isfile isdirectory} && [llength $args] == 1} {
        set p [stub::real_file normalize [lindex $args 0]]
        stub::hls_touch $p  ;# also when vitis_hls has run: the script is checked all the same
        if {[stub::real_file $sub $p]} { return 1 }
        if {![dict exists $stub::virtual $p]} { return 0 }
        set is_dir [expr {![regexp {\.[^/]+$} $p]}]
        return [expr {$sub eq "exists" || ($sub eq "isdirectory") == $is_dir}]
    }
    return [uplevel 1 [list ::stub::real_file $sub {*}$args]]
}

rename ::glob ::stub::real_glob
proc ::glob {args} {
    set o [stub::opts glob $args {nocomplain} {directory}]
    if {![dict exists $o directory]} { stub::fail "glob: only glob ?-nocomplain? -directory DIR PATTERN... is known" }
    set d [stub::real_file normalize [dict get $o directory]]
    stub::hls_touch $d
    set hits [stub::real_glob -nocomplain -directory $d {*}[dict get $o pos]]
    dict for {f -} $stub::virtual {
        if {[stub::real_file dirname $f] ne $d || $f in $hits} { continue }
        foreach pat [dict get $o pos] { if {[string match $pat [stub::real_file tail $f]]} { lappend hits $f; break } }
    }
    if {![llength $hits] && ![dict exists $o nocomplain]} { stub::fail "glob: no files matched [dict get $o pos] in $d" }
    return $hits
}

proc update_ip_catalog {args} {
    stub::need_project update_ip_catalog
    stub::opts update_ip_catalog $args {} {}
    if {![llength $stub::repos]} { stub::fail "update_ip_catalog: no ip_repo_paths set" }
    foreach repo $stub::repos {
        set repo [file normalize $repo]
        if {![file isdirectory $repo]} { stub::fail "update_ip_catalog: IP repository $repo does not exist" }
        set hit 0
        dict for {ldir r} $stub::hls {
            if {$r ne {} && [dict get $r ipdir] eq $repo} {
                dict set stub::catalog [dict get $r vlnv] $r
                set hit 1
            }
        }
        if {!$hit} { stub::fail "update_ip_catalog: $repo holds no IP an hls_syn_<L>.tcl exports" }
    }
    return ""
}


# Each IP cell was synthesised for the project's part and for a clock at least as fast as the
# block design's: an IP for another part cannot be instantiated, one for a slower clock
# misses timing.
proc stub::check_ip_targets {cmd} {
    dict for {cell ref} $stub::cells {
        if {![dict exists $stub::catalog $ref]} { continue }
        set r [dict get $stub::catalog $ref]
        if {[dict get $r part] ne $stub::part} {
            stub::fail "$cmd: IP cell $cell was synthesised for part [dict get $r part], the project is $stub::part"
        }
        set period [dict get $r clock]
        if {$stub::freq_hz > 0 && $period * $stub::freq_hz > 1e9 * 1.0001} {
            stub::fail "$cmd: IP cell $cell was synthesised for a $period ns clock, the design runs at $stub::freq_hz Hz"
        }
    }
}
