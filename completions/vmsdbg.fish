# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vmsdbg_global_optspecs
    string join \n host= session= i/identity= password-env= password-file= sudo-password-env= sudo-password-file= redis-password-env= sudo= accept-new-host-key max-channels= keepalive= o/output= q/quiet v/verbose f/file= keep-going echo timeout= color= h/help V/version
end

function __fish_vmsdbg_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vmsdbg_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vmsdbg_using_subcommand
    set -l cmd (__fish_vmsdbg_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l host -d 'Open an implicit session to USER@HOST[:PORT] for this run' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l session -d 'Open the session named NAME from the config file\'s profiles' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s i -l identity -d 'Identity (private key) file' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l password-env -d 'Read the SSH password from environment variable VAR' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l password-file -d 'Read the SSH password from FILE (mode 0600)' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l sudo-password-env -d 'Read the sudo password from environment variable VAR (default: the SSH password)' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l sudo-password-file -d 'Read the sudo password from FILE (mode 0600)' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l redis-password-env -d 'Read the tenants\' Redis password (AUTH) from environment variable VAR' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l sudo -d 'How to become root' -r -f -a "auto\t'Root needs nothing; otherwise ask sudo whether a password is needed'
password\t'sudo always asks for a password'
nopasswd\t'sudo never asks (NOPASSWD)'
none\t'Do not elevate'"
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l max-channels -d 'Most channels open at once on one connection (OpenSSH\'s MaxSessions is 10)' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l keepalive -d 'Seconds between SSH keepalives; three unanswered mark the session lost' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s f -l file -d 'Run the commands in FILE, one a line, then exit' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l timeout -d 'Seconds a remote command may go without sending anything (0: no limit)' -r
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l accept-new-host-key -d 'Trust and record a host key not yet in known_hosts'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l keep-going -d 'In a script, go on after a failing line'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -l echo -d 'In a script, print each command (to stderr, `+ COMMAND`) before its output'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -s V -l version -d 'Print version'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "demo" -d 'Start the embedded simulated VMS and open the shell on it'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "session" -d 'Open, switch, inspect and close named SSH sessions'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "tenant" -d 'Build and browse the active session\'s tenant database'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "redis" -d 'Read a tenant\'s Redis: keys, values, server facts (read-only)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "cm" -d 'A tenant\'s ConfigMaps: list, show, export'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "logs" -d 'VMS application logs under the session\'s log root (root-only files)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "status" -d 'Cluster counts and unhealthy pods'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "kubectl" -d 'Run kubectl as root on the host (passthrough)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "k" -d 'Run kubectl as root on the host (passthrough)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "exec" -d 'Run a shell command as root on the host, output streamed'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "config" -d 'Show the config file\'s path, or check it'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "help" -d 'Show help for the shell or one command'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "set" -d 'Show or change a shell setting (output, timeout, color, idle-timeout)'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "history" -d 'Show the command history'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "exit" -d 'Leave the shell'
complete -c vmsdbg -n "__fish_vmsdbg_needs_command" -f -a "quit" -d 'Leave the shell'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -l world -d 'Load the simulated world from FILE (JSON, see docs/world-format.md)' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -s f -l file -d 'Run the commands in FILE on the demo session, then exit' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -l timeout -d 'Seconds a remote command may go without sending anything (0: no limit)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -l keep-going -d 'In a script, go on after a failing line'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -l echo -d 'In a script, print each command (to stderr, `+ COMMAND`) before its output'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand demo" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "new" -d 'Open a session: session new NAME [USER@]HOST[:PORT]'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "use" -d 'Make NAME the active session'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "list" -d 'List open sessions'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "info" -d 'Details of one session (default: the active one)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "close" -d 'Close a session, or all of them'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "reconnect" -d 'Reconnect a session whose connection was lost'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and not __fish_seen_subcommand_from new use list info close reconnect elevate" -f -a "elevate" -d 'Try to become root again (asks for the sudo password on a terminal)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -s i -l identity -d 'Identity (private key) file' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l password-env -d 'Read the SSH password from environment variable VAR' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l password-file -d 'Read the SSH password from FILE (mode 0600)' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l sudo-password-env -d 'Read the sudo password from environment variable VAR (default: the SSH password)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l sudo-password-file -d 'Read the sudo password from FILE (mode 0600)' -r -F
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l redis-password-env -d 'Read the tenants\' Redis password (AUTH) from environment variable VAR' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l sudo -d 'How to become root' -r -f -a "auto\t'Root needs nothing; otherwise ask sudo whether a password is needed'
password\t'sudo always asks for a password'
nopasswd\t'sudo never asks (NOPASSWD)'
none\t'Do not elevate'"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l max-channels -d 'Most channels open at once on one connection (OpenSSH\'s MaxSessions is 10)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l keepalive -d 'Seconds between SSH keepalives; three unanswered mark the session lost' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -l accept-new-host-key -d 'Trust and record a host key not yet in known_hosts'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from use" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from use" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from info" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from info" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from info" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from close" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from close" -l all
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from close" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from close" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from close" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from reconnect" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from reconnect" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from reconnect" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from reconnect" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from elevate" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from elevate" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from elevate" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand session; and __fish_seen_subcommand_from elevate" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -f -a "build" -d 'Fetch services, ConfigMaps and pods and build the tenant database'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -f -a "list" -d 'List tenants'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -f -a "show" -d 'Show one tenant (default: the selected one)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -f -a "use" -d 'Select a tenant for later commands'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -f -a "diff" -d 'Compare two sessions\' tenant databases, or this session\'s last two builds'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and not __fish_seen_subcommand_from build list show use diff export" -f -a "export" -d 'Write the tenant database as JSON to FILE (default: stdout)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from build" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from build" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from build" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from use" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from use" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from diff" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from diff" -l previous -d 'Compare the active session\'s last two builds of its host'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from export" -l force -d 'Overwrite FILE if it exists'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from export" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand tenant; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "keys" -d 'List keys matching PATTERN (a Redis glob, default *), sorted; uses SCAN, never KEYS'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "get" -d 'Show the value of KEY, read according to its type'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "type" -d 'Show the type of KEY'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "ttl" -d 'Show the seconds KEY has left to live (-1: no expiry)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "ping" -d 'Check that the tenant\'s Redis answers, and by which path'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "info" -d 'Show the server\'s INFO report, or one SECTION of it'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and not __fish_seen_subcommand_from keys get type ttl ping info dbsize" -f -a "dbsize" -d 'Count the keys'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -l count -d 'Stop after N keys' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -l type -d 'Only keys of this type' -r -f -a "string\t''
hash\t''
list\t''
set\t''
zset\t''
stream\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from keys" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -l limit -d 'At most N items of a hash, list, set, sorted set or stream (0: all)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -l max-bytes -d 'At most BYTES of a string (0: all)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from type" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from type" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from type" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from type" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from type" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ttl" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ttl" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ttl" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ttl" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ttl" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ping" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ping" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ping" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ping" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from ping" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from info" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from info" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from info" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from info" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from dbsize" -s t -l tenant -d 'Tenant whose Redis to read (default: the selected tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from dbsize" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from dbsize" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from dbsize" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand redis; and __fish_seen_subcommand_from dbsize" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -f -a "list" -d 'List ConfigMaps: name, data keys, age (from the tenant database)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -f -a "show" -d 'Show one ConfigMap: its `config` JSON pretty-printed, or its data key by key'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and not __fish_seen_subcommand_from list show export" -f -a "export" -d 'Write ConfigMaps as JSON (kubectl\'s document) to FILE (default: stdout)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -s t -l tenant -d 'Tenant (default: the selected one, else every tenant)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -l all -d 'Every tenant'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -l refresh -d 'Fetch the ConfigMaps again before listing'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -s t -l tenant -d 'Tenant (namespace; default: the selected one)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -l key -d 'Only the data key K, exactly as stored' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -l raw -d 'What kubectl describe prints'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -l pretty -d 'The `config` key as pretty-printed JSON (the default)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -s t -l tenant -d 'Tenant (default: the selected one, else every namespace)' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -l all -d 'Every namespace'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -l force -d 'Overwrite FILE if it exists'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand cm; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -f -a "scan" -d 'List the log files: apps/**/*.log* (no .gz) and vms-admin.log'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -f -a "tail" -d 'The last lines of a log file'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -f -a "grep" -d 'Search log files (fixed string; --regex for extended regex)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -f -a "follow" -d 'Stream new lines of a log file until Ctrl-C (follows rotation)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and not __fish_seen_subcommand_from scan tail grep follow stats" -f -a "stats" -d 'Size, lines, error and warning counts, time span, errors per hour'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from scan" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from scan" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from scan" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from scan" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -s n -l lines -d 'How many lines' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -l errors -d 'Only the lines (of those N) that contain "error", any case'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -l pretty -d 'Every line, error lines set apart (colour, or a `!` column when piped)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from tail" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s n -l max -d 'At most N matches per file' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -l all -d 'Every scanned log file'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s i -l ignore-case -d 'Ignore case'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s c -l count -d 'Count matching lines per file instead of showing them'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -l regex -d 'PATTERN is an extended regular expression (grep -E)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from grep" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from follow" -s n -l lines -d 'Lines of context shown before new ones' -r
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from follow" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from follow" -l errors -d 'Only lines that contain "error", any case'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from follow" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from follow" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from follow" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from stats" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand logs; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand status" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand status" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand status" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand kubectl" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand kubectl" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand kubectl" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand kubectl" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand k" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand k" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand k" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand k" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exec" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exec" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exec" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exec" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and not __fish_seen_subcommand_from path check" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and not __fish_seen_subcommand_from path check" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and not __fish_seen_subcommand_from path check" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and not __fish_seen_subcommand_from path check" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and not __fish_seen_subcommand_from path check" -f -a "path" -d 'Where the config file is (it need not exist)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and not __fish_seen_subcommand_from path check" -f -a "check" -d 'Parse the config file and report problems'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from path" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from check" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand completions" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand completions" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand completions" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand help" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand help" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand help" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand help" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand set" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand set" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand set" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand history" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand history" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand history" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand history" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exit" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exit" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exit" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand exit" -s h -l help -d 'Print help'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand quit" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
plain\t''"
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand quit" -s q -l quiet -d 'No progress bars or informational messages'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand quit" -s v -l verbose -d 'More diagnostics on stderr (-v info, -vv debug, -vvv trace)'
complete -c vmsdbg -n "__fish_vmsdbg_using_subcommand quit" -s h -l help -d 'Print help'
