# Perl without modules (the enclave gets the interpreter only): hashes, fork
# with a pipe and an exit status, a pipe from a command, SIGALRM, floats.
my %h = map { $_ => $_ * 2 } 1..5;
print join(",", map { "$_=$h{$_}" } sort keys %h), "\n";
pipe(my $r, my $w) or die "pipe: $!";
my $pid = fork();
die "fork: $!" unless defined $pid;
if ($pid == 0) { close $r; print $w "from child\n"; exit 5; }
close $w;
my $l = <$r>;
waitpid($pid, 0);
print "child said $l", "child status ", $? >> 8, "\n";
open(my $p, "-|", "/usr/bin/echo", "piped") or die "open: $!";
print "open pipe ", <$p>;
close $p;
$SIG{ALRM} = sub { print "alarm\n" };
alarm 1;
sleep 2;
printf "%.6f\n", atan2(1, 1) * 4;
