"""Task functions the native fidelity pipelines call; the same code runs under runnable and in the simulated pods."""


def seed(start):
    return start + 1, f"s{start}", [start, start * 2]


def double(n):
    return n * 2


def describe(n=None, label=None, pair=None):
    return {"n": n, "label": label, "pair": pair}


def square(item):
    return item * item


def tag(item, word=None):
    return f"{word}-{item}"


def boom():
    raise RuntimeError("planned failure")


def boom_on(item):
    if item == 2:
        raise RuntimeError("planned failure on 2")
    return item


def fallback():
    return "recovered"


def cell(row, col):
    return f"{row}{col}"


def nothing():
    return None


def pick_mode(n):
    return "big" if n > 3 else "small"


def left():
    return "L"


def right():
    return "R", 2.5


def truthy(flag):
    return not flag


def join(row, v):
    return f"{row}:{'+'.join(v)}"


def after_choice(side=None, other=None):
    return f"{side}/{other}"


def labelled():
    return "from-earlier"
