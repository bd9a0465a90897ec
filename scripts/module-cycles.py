#!/usr/bin/env python3
"""Fails when modules import each other in a loop, in any of Village's crates.

For every module (a file under crates/<crate>/src), it collects the modules of the same crate
it names (`crate::a::b`, `super::x`, `self::x` paths, in `use` lines and in code) and looks
for loops among them (strongly connected components). A module naming its own ancestor
(a child reading what its parent holds, `use super::*`) or its own descendant (a parent
declaring and re-exporting its children) is how a folder module is built, not a loop between
two ideas, so those edges are left out. Everything else counts: two sibling or unrelated
modules that reach each other, directly or through others, are reported."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'crates')

def modules(src):
    mods = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith('.rs'):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)[:-3].split(os.sep)
            if rel[-1] in ('mod', 'lib', 'main'):
                rel = rel[:-1]
            if 'tests' in rel:
                continue
            mods[tuple(rel)] = os.path.join(dirpath, f)
    return mods

def strip_tests(text):
    i = text.find('#[cfg(test)]')
    return text if i < 0 else text[:i]

def resolve(path, here, mods):
    """The longest known module a path names, from module `here`."""
    parts = path.split('::')
    base = list(here)
    if parts[0] == 'crate':
        base, parts = [], parts[1:]
    elif parts[0] in ('super', 'self'):
        while parts and parts[0] in ('super', 'self'):
            if parts[0] == 'super':
                base = base[:-1]
            parts = parts[1:]
    else:
        return None
    full = base + parts
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in mods:
            return tuple(full[:n])
    return None

def edges(mods):
    out = {m: set() for m in mods}
    pat = re.compile(r'\b((?:crate|super|self)(?:::\w+)+)')
    for m, path in mods.items():
        text = strip_tests(open(path, encoding='utf-8').read())
        # `use a::{b, c::d}` groups: expand the first level of braces.
        for g in re.finditer(r'\b((?:crate|super|self)(?:::\w+)*)::\{([^}]*)\}', text):
            for item in g.group(2).split(','):
                item = item.strip().split(' as ')[0]
                if item and item != 'self':
                    t = resolve(g.group(1) + '::' + item, m, mods)
                    if t is not None:
                        out[m].add(t)
        for p in pat.finditer(text):
            t = resolve(p.group(1), m, mods)
            if t is not None:
                out[m].add(t)
    for m in out:
        out[m] = {t for t in out[m] if t != m and t != m[:len(t)] and m != t[:len(m)]}
    return out

def sccs(graph):
    index, low, stack, on, res, n = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                res.append(comp)
    for v in graph:
        if v not in index:
            visit(v)
    return res

failed = False
for crate in sorted(os.listdir(ROOT)):
    src = os.path.join(ROOT, crate, 'src')
    if not os.path.isdir(src):
        continue
    mods = modules(src)
    for comp in sccs(edges(mods)):
        failed = True
        names = sorted('::'.join(c) or '(root)' for c in comp)
        print(f'{crate}: these modules import each other in a loop: {", ".join(names)}')
if failed:
    sys.exit(1)
print('no module imports another that imports it back')
