# Python's process-shared objects and the rest a library reaches for, run by
# the same interpreter on Linux and in an enclave
# (cokernel.apps_python_subprocess): every line must match. Value and Array
# (an unlinked file in /dev/shm, mapped shared), shared_memory (shm_open),
# a Manager (a server process over a host AF_UNIX socket), asyncio over a
# socketpair, ctypes, copyfile and replace, Event and Barrier, pthread_kill,
# getrusage.
import asyncio, ctypes, os, resource, shutil, signal, socket, sys, tempfile, threading
import multiprocessing as mp
from multiprocessing import shared_memory

def out(*a):
    print(*a, flush=True)

def add(v, arr, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1
    for i in range(len(arr)):
        arr[i] += 1

ctx = mp.get_context("fork")
if __name__ == "__main__":
    v = ctx.Value("i", 0)
    arr = ctx.Array("d", [0.5] * 4)
    ps = [ctx.Process(target=add, args=(v, arr, 500)) for _ in range(3)]
    [p.start() for p in ps]; [p.join() for p in ps]
    out("value", v.value, list(arr)[:1])

    shm = shared_memory.SharedMemory(create=True, size=4096)
    shm.buf[:5] = b"hello"
    def peek(name):
        s = shared_memory.SharedMemory(name=name)
        s.buf[5:10] = b"world"
        s.close()
    p = ctx.Process(target=peek, args=(shm.name,)); p.start(); p.join()
    out("shared_memory", bytes(shm.buf[:10]))
    shm.close(); shm.unlink()

    with ctx.Manager() as m:
        d = m.dict(); l = m.list()
        def w(d, l, i):
            d[i] = i * i; l.append(i)
        # Each child's two proxies are two connections, each a server thread
        # blocked in a host recv: more than a proxy's first 4 workers.
        ps = [ctx.Process(target=w, args=(d, l, i)) for i in range(5)]
        [p.start() for p in ps]; [p.join() for p in ps]
        out("manager", sorted(d.items()), sorted(l))

    async def main():
        r, w = socket.socketpair()
        reader, writer = await asyncio.open_connection(sock=r)
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(w, b"ping\n")
        line = await reader.readline()
        await asyncio.sleep(0.05)
        writer.close(); w.close()
        return line
    out("asyncio", asyncio.run(main()))

    libc = ctypes.CDLL("libc.so.6")
    out("ctypes", libc.getpid() == os.getpid(), libc.strlen(b"cove"))

    with tempfile.TemporaryDirectory() as d:
        a = os.path.join(d, "a"); b = os.path.join(d, "b")
        with open(a, "wb") as f:
            f.write(os.urandom(0) + b"x" * 100000)
        shutil.copyfile(a, b)
        os.replace(b, a + ".moved")
        out("files", os.path.getsize(a + ".moved"), sorted(os.listdir(d)))

    ev = threading.Event(); bar = threading.Barrier(3); got = []
    def t(i):
        bar.wait(); ev.wait(); got.append(i)
    ts = [threading.Thread(target=t, args=(i,)) for i in range(2)]
    [x.start() for x in ts]; bar.wait(); ev.set(); [x.join() for x in ts]
    out("threads", sorted(got))

    hit = []
    signal.signal(signal.SIGUSR2, lambda s, f: hit.append(s))
    signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR2)
    out("pthread_kill", hit)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out("rusage", ru.ru_utime > 0, ru.ru_maxrss > 0)
    out("done")
