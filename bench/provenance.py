"""Where and how a bench run was measured: the library's version and commit,
the compiler and flags, the BLAS/LAPACK libraries and their thread settings,
the Python side's versions, the CPU; and per row, the machine's load."""
import datetime
import os
import platform
import re
import subprocess

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_PROC_BIND",
               "OMP_PLACES", "GOMP_CPU_AFFINITY")
# The AVX-512 subset lib/core/cpu.c requires for its 512-bit kernels.
AVX512_FLAGS = ("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl")


def _run(cmd, cwd=None):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                           cwd=cwd, timeout=30)
        return p.stdout.strip() if p.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def git_info(root):
    commit = _run(["git", "rev-parse", "HEAD"], root)
    status = _run(["git", "status", "--porcelain", "--untracked-files=no"], root)
    return {"commit": commit, "dirty": bool(status) if status is not None else None,
            "branch": _run(["git", "rev-parse", "--abbrev-ref", "HEAD"], root)}


def cpu_info():
    info = {"cores": os.cpu_count()}
    text = _read("/proc/cpuinfo") or ""
    m = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    info["model"] = m.group(1).strip() if m else platform.processor() or None
    m = re.search(r"^flags\s*:\s*(.+)$", text, re.M)
    flags = set(m.group(1).split()) if m else set()
    info["avx2"] = "avx2" in flags
    info["avx512"] = all(f in flags for f in AVX512_FLAGS)
    info["avx512_flags"] = sorted(f for f in flags if f.startswith("avx512"))
    info["kernels"] = ("512-bit" if info["avx512"] else "256-bit" if info["avx2"] else "scalar")
    info["governor"] = _read("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
    mhz = re.findall(r"^cpu MHz\s*:\s*([\d.]+)$", text, re.M)
    info["mhz"] = float(mhz[0]) if mhz else None
    return info


def blas_info(bench_bin):
    """The BLAS/LAPACK the C side loads (ldd), Debian's alternatives, and the
    Python side's (threadpoolctl)."""
    libs = []
    for line in (_run(["ldd", str(bench_bin)]) or "").splitlines():
        if re.search(r"blas|lapack|gomp|omp\.so|mkl", line):
            libs.append(line.strip().split(" (")[0])
    alternatives = {}
    for name in ("libblas.so.3-x86_64-linux-gnu", "liblapack.so.3-x86_64-linux-gnu"):
        out = _run(["update-alternatives", "--query", name]) or ""
        m = re.search(r"^Value:\s*(.+)$", out, re.M)
        if m:
            alternatives[name] = m.group(1).strip()
    py = []
    try:
        from threadpoolctl import threadpool_info
        for d in threadpool_info():
            py.append({k: d.get(k) for k in ("user_api", "internal_api", "version",
                                             "threading_layer", "num_threads", "filepath")})
    except ImportError:
        pass
    return {"mlcore_libraries": libs, "alternatives": alternatives, "python_pools": py,
            "thread_env": {v: os.environ.get(v) for v in THREAD_VARS if os.environ.get(v)}}


def machine_info(root, bench_bin, mlcore_bin):
    import json

    import numpy
    import scipy
    import sklearn
    build = {}
    text = _run([str(bench_bin), "info"])
    if text:
        build = json.loads(text)
    return {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "hostname": platform.node(), "platform": platform.platform(),
            "mlcore": _run([str(mlcore_bin), "--version"]), "build": build,
            "git": git_info(root), "cpu": cpu_info(), "blas": blas_info(bench_bin),
            "scikit-learn": sklearn.__version__, "numpy": numpy.__version__,
            "scipy": scipy.__version__, "python": platform.python_version()}


# ------------------------------------------------------------- machine load

def loadavg():
    """The 1-minute load average."""
    text = _read("/proc/loadavg")
    return float(text.split()[0]) if text else None


def _busy_seconds():
    """CPU time every process on the machine has used (all cores), seconds."""
    text = _read("/proc/stat") or ""
    for line in text.splitlines():
        if line.startswith("cpu "):
            v = [int(x) for x in line.split()[1:]]
            idle = v[3] + (v[4] if len(v) > 4 else 0)
            return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    return None


def _own_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class LoadProbe:
    """The load around one row: its start time, the 1-minute load average
    before and after, and the cores other processes kept busy meanwhile (the
    machine's busy time minus the runner's and its reaped children's)."""

    def __init__(self):
        self.start = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.load_before = loadavg()
        self._busy, self._own, self._wall = _busy_seconds(), _own_seconds(), _monotonic()

    def finish(self, cores, threads):
        wall = _monotonic() - self._wall
        busy = _busy_seconds()
        others = None
        if busy is not None and self._busy is not None and wall > 0:
            others = max(0.0, (busy - self._busy) - (_own_seconds() - self._own)) / wall
        free = max(cores - threads, 0)
        return {"start": self.start, "load_before": self.load_before, "load_after": loadavg(),
                "others_cores": others, "wall": wall,
                # Another process held a core the row needed.
                "loaded": bool(others is not None and others > free + 0.25)}


def _monotonic():
    import time
    return time.monotonic()
