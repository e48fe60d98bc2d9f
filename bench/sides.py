"""The two sides as child processes driven line by line (bench_serve.h), and
their fit and predict runs interleaved: A B A B ..., so a drift of the machine
(another process, the clock) hits both sides' runs alike."""
import select
import subprocess
import time

# At least `repeats` pairs, and more (up to MAX_PAIRS) until the slower side's
# runs add up to MIN_SECONDS: a median of 3 runs of a 100 us fit is mostly the
# first calls' page faults and cache misses.
MIN_SECONDS, MAX_PAIRS = 0.2, 1000


class SideError(Exception):
    pass


class Side:
    def __init__(self, name, cmd, env, err_path, timeout):
        self.name, self.timeout, self.err_path = name, timeout, err_path
        self.err = open(err_path, "w")
        self.p = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.err, text=True, bufsize=1)
        self.times = {"fit": [], "predict": []}
        self.cpu = {"fit": [], "predict": []}

    def _line(self, timeout):
        ready, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not ready:
            self.kill()
            raise SideError(f"timed out after {timeout:g} s")
        line = self.p.stdout.readline()
        if not line:
            raise SideError(self._exit_message())
        return line.strip()

    def _exit_message(self):
        rc = self.p.wait()
        self.err.flush()
        with open(self.err_path) as f:
            tail = f.read().strip().splitlines()[-3:]
        return f"exit {rc}: {' | '.join(tail)}"

    def wait_ready(self):
        line = self._line(self.timeout)
        if line not in ("ready", "ready predict"):
            raise SideError(f"expected 'ready', got {line[:80]!r}")
        self.can_predict = line == "ready predict"

    def run(self, kind):
        """One timed run of "fit" or "predict": its wall time in seconds."""
        try:
            return self._run(kind)
        except SideError as e:
            raise SideError(f"{'libmlcore' if self.name == 'mlcore' else 'scikit-learn'} "
                            f"{kind}: {e}") from None

    def _run(self, kind):
        try:
            self.p.stdin.write(kind + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            raise SideError(self._exit_message()) from None
        parts = self._line(self.timeout).split()
        if len(parts) != 2:
            raise SideError(f"bad reply {' '.join(parts)[:80]!r}")
        wall, cpu = int(parts[0]) * 1e-9, int(parts[1]) * 1e-9
        self.times[kind].append(wall)
        self.cpu[kind].append(cpu)
        return wall

    def finish(self):
        """"done": the side writes its outputs and exits."""
        try:
            self.p.stdin.write("done\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SideError(f"timed out after {self.timeout:g} s writing its outputs") from None
        self.err.close()
        if rc:
            with open(self.err_path) as f:
                tail = f.read().strip().splitlines()[-3:]
            raise SideError(f"exit {rc}: {' | '.join(tail)}")

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if not self.err.closed:
            self.err.close()


def interleave(sides, kind, repeats, max_pairs=MAX_PAIRS, min_seconds=MIN_SECONDS):
    """Runs `kind` on every side in turn, round after round, until each has
    `repeats` runs and the slowest side's add up to `min_seconds`."""
    spent = [0.0] * len(sides)
    rounds = 0
    while rounds < max_pairs and (rounds < repeats or max(spent) < min_seconds):
        for i, s in enumerate(sides):
            spent[i] += s.run(kind)
        rounds += 1
    return rounds


def start_all(specs, timeout):
    """Starts the sides [(name, cmd, env, err_path)], waits until each is ready."""
    sides = []
    try:
        for name, cmd, env, err in specs:
            sides.append(Side(name, cmd, env, err, timeout))
        for s in sides:
            s.wait_ready()
    except (SideError, OSError):
        for s in sides:
            s.kill()
        raise
    return sides


def now():
    return time.perf_counter()
