//! The module graph of halo-sim is acyclic: no module imports a module that
//! (directly or through others) imports it back, and no module reaches into
//! the crate root (which imports every module).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules each `src/*.rs` module names through `crate::NAME`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&src)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", src.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut graph = BTreeMap::new();
    for file in files {
        let Some(name) = file.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        if name == "main" {
            continue; // the binary is a crate of its own
        }
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        graph.insert(name, crate_refs(&text));
    }
    graph
}

/// The first path segment after every `crate::` (each item of `crate::{a, b::c}`).
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut refs = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for item in inner.split(',') {
                let item = ident(item.trim());
                if !item.is_empty() {
                    refs.insert(item);
                }
            }
        } else {
            let item = ident(rest);
            if !item.is_empty() {
                refs.insert(item);
            }
        }
    }
    refs
}

#[test]
fn crate_refs_reads_paths_and_groups() {
    let refs = crate_refs("use crate::a::B;\nuse crate::{c, d::E};\nlet x = crate::f::g();");
    let want: BTreeSet<String> = ["a", "c", "d", "f"].into_iter().map(String::from).collect();
    assert_eq!(refs, want);
}

#[test]
fn no_module_cycles() {
    let graph = module_graph();
    assert!(graph.contains_key("lib") && graph.contains_key("store"));
    let modules: BTreeSet<&String> = graph.keys().filter(|m| *m != "lib").collect();
    for (module, refs) in &graph {
        if module == "lib" {
            continue;
        }
        for target in refs {
            assert!(
                modules.contains(target),
                "module `{module}` uses `crate::{target}`, which is not a module: items of the \
                 crate root are out of bounds for modules (the root imports them all)"
            );
        }
    }
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(node) {
            return;
        }
        if let Some(at) = path.iter().position(|n| *n == node) {
            panic!("module cycle: {} -> {node}", path[at..].join(" -> "));
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    for module in graph.keys().filter(|m| *m != "lib") {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
}
