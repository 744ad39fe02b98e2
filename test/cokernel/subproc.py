# Python's subprocess, run by the same interpreter on Linux and in an
# enclave (cokernel.apps_python_subprocess): every line must match.
import os
import subprocess

BB = "/bin/busybox"
r = subprocess.run([BB, "echo", "hi"], capture_output=True)
print("run", r.returncode, r.stdout)
p = subprocess.Popen([BB, "cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = p.communicate(b"x" * 200000)
print("communicate", len(out), p.returncode)
print("call", subprocess.call([BB, "false"]))
r = subprocess.run(BB + " echo $((6 * 7)) | " + BB + " wc -c", shell=True,
                   capture_output=True, text=True)
print("shell", r.returncode, r.stdout.strip())
print("system", os.waitstatus_to_exitcode(os.system("exit 3")))
try:
    subprocess.run(["/no/such/program"])
except FileNotFoundError as e:
    print("missing", e.errno)
print("check_output", subprocess.check_output([BB, "sh", "-c", "echo ok"], text=True).strip())
try:
    subprocess.run([BB, "sleep", "5"], timeout=0.5)
except subprocess.TimeoutExpired:
    print("timeout expired")
