# Option parsing shared by the tool stand-ins (vivado_stubs.tcl, vitis_stubs.tcl): both check
# every command's options the same way, only their failure reporting differs.
#
# stubopts::parse FAIL CMD ARGS FLAGS VALUED -> dict of the options given (a flag -> 1, a
# valued option -> its value) and "pos" (the positional arguments). FAIL is the command
# prefix called with one message on an unknown option or a valued option without a value.
# A negative number is a positional argument, not an option.

namespace eval stubopts {}

proc stubopts::parse {fail cmd arglist flags valued} {
    set out [dict create pos {}]
    for {set i 0} {$i < [llength $arglist]} {incr i} {
        set a [lindex $arglist $i]
        if {[string index $a 0] eq "-" && ![string is double -strict $a]} {
            set name [string range $a 1 end]
            if {$name in $flags} {
                dict set out $name 1
            } elseif {$name in $valued} {
                incr i
                if {$i >= [llength $arglist]} { {*}$fail "$cmd: option $a needs a value" }
                dict set out $name [lindex $arglist $i]
            } else {
                {*}$fail "$cmd: unknown option $a"
            }
        } else {
            dict lappend out pos $a
        }
    }
    return $out
}
