# Python's threads, signals, mmap, fork and multiprocessing, run by the
# same interpreter on Linux and in an enclave
# (cokernel.apps_python_subprocess): every line must match.
import hashlib, json, os, signal, sys, tempfile, threading, time, select, mmap, struct, zlib
import multiprocessing as mp
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

def sq(x):
    return x * x

def out(*a):
    print(*a, flush=True)

# threads with a lock and a condition
total = 0
lock = threading.Lock()
def work(n):
    global total
    for i in range(n):
        with lock:
            total += 1
ts = [threading.Thread(target=work, args=(20000,)) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
out("threads", total)

with ThreadPoolExecutor(4) as ex:
    out("threadpool", sum(ex.map(sq, range(1000))))

# a signal handler, an alarm and a timer
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
signal.signal(signal.SIGALRM, lambda s, f: got.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.05)
time.sleep(0.3)
out("signals", got)

# files, mmap, zlib, hashes, json
with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, "f.bin")
    with open(p, "wb") as f:
        f.write(bytes(range(256)) * 4096)
    with open(p, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        m[0:4] = b"COVE"
        out("mmapcopy", m[0:6], m.find(b"COVE"), m.rfind(bytes([255])))
        m.close()
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        out("mmapread", m[0:3], len(m))
        m.close()
        m = mmap.mmap(f.fileno(), 0)        # shared and writable: Python's default
        m[8:12] = b"EDIT"
        m.flush()
        f.seek(8)
        out("mmapshared", f.read(4))
        m[4096:4100] = b"LATE"
        m.close()
    data = open(p, "rb").read()
    out("mmapfile", len(data), hashlib.sha256(data).hexdigest()[:16], zlib.crc32(zlib.compress(data)))
    os.makedirs(os.path.join(d, "x/y"))
    open(os.path.join(d, "x/y/z"), "w").write("z")
    out("walk", sorted((os.path.relpath(r, d), sorted(fs)) for r, _, fs in os.walk(d)))
out("json", json.dumps({"a": [1, 2.5, None], "b": "c"}, sort_keys=True))

# pipe + poll between parent and a forked child
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    for i in range(3):
        os.write(w, struct.pack("i", i))
        time.sleep(0.01)
    os._exit(7)
os.close(w)
po = select.poll(); po.register(r, select.POLLIN)
got = []
while True:
    ev = po.poll(2000)
    b = os.read(r, 4)
    if not b:
        break
    got.append(struct.unpack("i", b)[0])
_, st = os.waitpid(pid, 0)
out("forkpipe", got, os.WEXITSTATUS(st))

# multiprocessing with fork: Pool, Queue, Process exit codes
ctx = mp.get_context("fork")
with ctx.Pool(2) as pool:
    out("pool", sum(pool.map(sq, range(200))))
q = ctx.Queue()
ps = [ctx.Process(target=q.put, args=(i,)) for i in range(3)]
[p.start() for p in ps]
vals = sorted(q.get(timeout=20) for _ in ps)
[p.join() for p in ps]
out("queue", vals, [p.exitcode for p in ps])
with ProcessPoolExecutor(2, mp_context=ctx) as ex:
    out("procpool", list(ex.map(sq, range(10))))
out("done")
