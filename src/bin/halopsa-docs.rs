//! halopsa-docs: writes `docs/` in the Terraform Registry layout from the provider's
//! own schemas (the registry in `provider.rs`) and the example files under
//! `examples/`.
//!
//! ```text
//! cargo run --bin halopsa-docs                 # (re)write docs/
//! cargo run --bin halopsa-docs -- --check      # exit 1 if docs/ is stale
//! cargo run --bin halopsa-docs -- --root DIR   # another checkout
//! ```
//!
//! Pages: `docs/index.md` (the provider), `docs/resources/<name>.md`,
//! `docs/data-sources/<name>.md` and `docs/ephemeral-resources/<name>.md`, where
//! `<name>` is the type name without the `halopsa_` prefix, and
//! `docs/functions/<function>.md`. Every type needs its example:
//! `examples/resources/<type>/resource.tf` and `import.sh`,
//! `examples/data-sources/<type>/data-source.tf`,
//! `examples/ephemeral-resources/<type>/ephemeral-resource.tf`,
//! `examples/functions/<function>/function.tf`, and
//! `examples/provider/provider.tf` for the provider. The output is deterministic:
//! attributes are sorted by name and nothing depends on the time or the machine.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use terraform_provider_halopsa::args::{Command, Flag};
use terraform_provider_halopsa::framework::{
    Attribute, AttributeKind, Function, Number, PlanModifier, Presence, Schema, Type, Validator,
    Value,
};
use terraform_provider_halopsa::provider;

/// The command line: its flags, from which both the parsing and `--help` come.
const COMMAND: Command = Command {
    program: None,
    name: "halopsa-docs",
    about: "Generates docs/ from the provider schema and examples/.",
    flags: &[
        Flag {
            name: "--check",
            value: None,
            required: false,
            example: "",
            help: "write nothing; exit 1 and list the files of docs/ that are stale,\n\
                   missing or extra",
        },
        Flag {
            name: "--root",
            value: Some("DIR"),
            required: false,
            example: "",
            help: "the repository root (default: this crate's directory)",
        },
    ],
    subcommands: &[],
    footer: "\
Exit status: 0 when docs/ was written (or, with --check, is up to date), 1 when a page
could not be made or docs/ is stale, 2 for a usage error.",
};

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Options {
    /// Only compare docs/ with what would be written.
    check: bool,
    root: PathBuf,
}

/// Parses the arguments; `Ok(None)` means help was asked for.
fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let Some(given) = COMMAND.parse(args).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let root = match given.value("--root") {
        Some("") => return Err("--root needs a directory, not an empty value".into()),
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    };
    Ok(Some(Options {
        check: given.has("--check"),
        root,
    }))
}

/// The provider's type name, the prefix of every resource and data source type.
const PROVIDER: &str = provider::TYPE_NAME;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Options { check, root } = match COMMAND.options(&args, parse) {
        Ok(options) => options,
        Err(code) => return code,
    };

    let pages = match render_all(&root) {
        Ok(pages) => pages,
        Err(errors) => {
            for e in errors {
                eprintln!("halopsa-docs: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    let docs = root.join("docs");
    let result = if check {
        check_docs(&docs, &pages)
    } else {
        write_docs(&docs, &pages)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("halopsa-docs: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---- collecting pages -------------------------------------------------------------

/// Every page, keyed by its path relative to `docs/` (with `/` separators).
type Pages = BTreeMap<String, String>;

/// Renders every page. Errors (a missing or unreadable example) are collected so
/// one run names them all.
fn render_all(root: &Path) -> Result<Pages, Vec<String>> {
    let examples = root.join("examples");
    let mut pages = Pages::new();
    let mut errors = Vec::new();

    type Page = (
        &'static str,
        Schema,
        Option<Schema>,
        &'static [&'static str],
    );
    let mut resources: Vec<Page> = provider::resources()
        .iter()
        .map(|r| {
            (
                r.type_name(),
                r.schema(),
                Some(r.list_schema()),
                r.identity(),
            )
        })
        .collect();
    resources.sort_by_key(|(name, ..)| *name);
    let mut data_sources: Vec<(&'static str, Schema)> = provider::data_sources()
        .iter()
        .map(|d| (d.type_name(), d.schema()))
        .collect();
    data_sources.sort_by_key(|(name, _)| *name);
    let mut ephemerals: Vec<(&'static str, Schema)> = provider::ephemeral_resources()
        .iter()
        .map(|e| (e.type_name(), e.schema()))
        .collect();
    ephemerals.sort_by_key(|(name, _)| *name);
    let mut functions = provider::functions();
    functions.sort_by_key(|f| f.name);

    match read_example(&examples.join("provider/provider.tf")) {
        Ok(example) => {
            let resource_names: Vec<&str> = resources.iter().map(|r| r.0).collect();
            let data_source_names: Vec<&str> = data_sources.iter().map(|d| d.0).collect();
            pages.insert(
                "index.md".into(),
                provider_page(
                    &provider::schema(),
                    &example,
                    &resource_names,
                    &data_source_names,
                    &ephemerals.iter().map(|e| e.0).collect::<Vec<_>>(),
                    &functions.iter().map(|f| f.name).collect::<Vec<_>>(),
                ),
            );
        }
        Err(e) => errors.push(e),
    }

    for (name, schema, list, identity) in &resources {
        let dir = examples.join("resources").join(name);
        let example = read_example(&dir.join("resource.tf"));
        let import = read_example(&dir.join("import.sh"));
        match (example, import) {
            (Ok(example), Ok(import)) => {
                pages.insert(
                    format!("resources/{}.md", short_name(name)),
                    resource_page(name, schema, list.as_ref(), identity, &example, &import),
                );
            }
            (example, import) => errors.extend(example.err().into_iter().chain(import.err())),
        }
    }

    for (name, schema) in &data_sources {
        let path = examples
            .join("data-sources")
            .join(name)
            .join("data-source.tf");
        match read_example(&path) {
            Ok(example) => {
                pages.insert(
                    format!("data-sources/{}.md", short_name(name)),
                    data_source_page(name, schema, &example),
                );
            }
            Err(e) => errors.push(e),
        }
    }

    for (name, schema) in &ephemerals {
        let path = examples
            .join("ephemeral-resources")
            .join(name)
            .join("ephemeral-resource.tf");
        match read_example(&path) {
            Ok(example) => {
                pages.insert(
                    format!("ephemeral-resources/{}.md", short_name(name)),
                    ephemeral_page(name, schema, &example),
                );
            }
            Err(e) => errors.push(e),
        }
    }

    for f in &functions {
        let path = examples.join("functions").join(f.name).join("function.tf");
        match read_example(&path) {
            Ok(example) => {
                pages.insert(
                    format!("functions/{}.md", f.name),
                    function_page(f, &example),
                );
            }
            Err(e) => errors.push(e),
        }
    }

    // Example directories for types the provider does not serve are mistakes too
    // (a renamed type, a typo): they would never reach the docs.
    for (kind, known) in [
        (
            "ephemeral-resources",
            ephemerals.iter().map(|e| e.0).collect::<Vec<_>>(),
        ),
        (
            "functions",
            functions.iter().map(|f| f.name).collect::<Vec<_>>(),
        ),
        (
            "resources",
            resources.iter().map(|r| r.0).collect::<Vec<_>>(),
        ),
        (
            "data-sources",
            data_sources.iter().map(|d| d.0).collect::<Vec<_>>(),
        ),
    ] {
        let dir = examples.join(kind);
        match list_dirs(&dir) {
            Ok(found) => {
                for name in found {
                    if !known.contains(&name.as_str()) {
                        errors.push(format!(
                            "{}: the provider has no {} type {name:?}",
                            dir.join(&name).display(),
                            match kind {
                                "resources" => "resource",
                                "ephemeral-resources" => "ephemeral resource",
                                "functions" => "function",
                                _ => "data source",
                            }
                        ));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }

    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

/// An example file's text with trailing white space trimmed; an error naming the
/// file when it is missing or unreadable.
fn read_example(path: &Path) -> Result<String, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.trim_end().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("missing example file {}", path.display()))
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// The names of the sub-directories of `dir` (none if it does not exist).
fn list_dirs(dir: &Path) -> Result<Vec<String>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        if entry.path().is_dir() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// `halopsa_organisation` -> `organisation` (the Registry's page name).
fn short_name(type_name: &str) -> &str {
    type_name
        .strip_prefix(PROVIDER)
        .and_then(|rest| rest.strip_prefix('_'))
        .unwrap_or(type_name)
}

// ---- writing and checking -----------------------------------------------------------

/// Every generated-looking `.md` file under `docs/`, relative to it: `index.md`
/// and the pages under `resources/` and `data-sources/`. Other pages (e.g.
/// `performance.md`) are hand-written and left alone.
fn existing_pages(docs: &Path) -> Result<Vec<String>, String> {
    fn walk(base: &Path, dir: &Path, into: &mut Vec<String>) -> Result<(), String> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, into)?;
            } else if path.extension().is_some_and(|x| x == "md") {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                into.push(rel.join("/"));
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(docs, docs, &mut found)?;
    found.retain(|rel| {
        rel == "index.md"
            || rel.starts_with("resources/")
            || rel.starts_with("data-sources/")
            || rel.starts_with("ephemeral-resources/")
            || rel.starts_with("functions/")
    });
    found.sort();
    Ok(found)
}

fn write_docs(docs: &Path, pages: &Pages) -> Result<(), String> {
    for stale in existing_pages(docs)? {
        if !pages.contains_key(&stale) {
            let path = docs.join(&stale);
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            println!("removed {}", path.display());
        }
    }
    for (rel, text) in pages {
        let path = docs.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == *text);
        if !unchanged {
            std::fs::write(&path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn check_docs(docs: &Path, pages: &Pages) -> Result<(), String> {
    let mut problems = Vec::new();
    for (rel, text) in pages {
        let path = docs.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(old) if old == *text => {}
            Ok(_) => problems.push(format!("stale:   {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!("missing: {}", path.display()))
            }
            Err(e) => problems.push(format!("unreadable: {}: {e}", path.display())),
        }
    }
    for rel in existing_pages(docs)? {
        if !pages.contains_key(&rel) {
            problems.push(format!("extra:   {}", docs.join(rel).display()));
        }
    }
    if problems.is_empty() {
        println!("docs/ is up to date ({} pages)", pages.len());
        Ok(())
    } else {
        Err(format!(
            "docs/ is out of date with the provider schema or examples/:\n  {}\nRun `cargo run --bin halopsa-docs` and commit the result.",
            problems.join("\n  ")
        ))
    }
}

// ---- pages ------------------------------------------------------------------------

/// The YAML front matter the Registry reads.
fn front_matter(out: &mut String, title: &str, description: &str) {
    out.push_str("---\n");
    let _ = writeln!(out, "page_title: {}", yaml_string(title));
    out.push_str("subcategory: \"\"\n");
    out.push_str("description: |-\n");
    for line in description.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push_str("---\n\n");
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn fence(out: &mut String, lang: &str, body: &str) {
    let _ = write!(out, "```{lang}\n{body}\n```\n\n");
}

fn provider_page(
    schema: &Schema,
    example: &str,
    resources: &[&str],
    data_sources: &[&str],
    ephemerals: &[&str],
    functions: &[&str],
) -> String {
    let mut out = String::new();
    front_matter(
        &mut out,
        &format!("{PROVIDER} Provider"),
        first_sentence(schema.description),
    );
    let _ = writeln!(out, "# {PROVIDER} Provider\n");
    let _ = writeln!(out, "{}\n", schema.description);
    out.push_str("## Example Usage\n\n");
    fence(&mut out, "terraform", example);

    let env: Vec<(&str, &str)> = sorted(&schema.attributes)
        .into_iter()
        .filter_map(|(name, attr)| env_var(&attr.description).map(|var| (name, var)))
        .collect();
    if !env.is_empty() {
        out.push_str("## Environment variables\n\n");
        out.push_str(
            "Every setting can come from an environment variable instead of the provider \
             block; a value set in the provider block wins. Keep the client secret out of \
             configuration files: set `HALOPSA_CLIENT_SECRET` in the environment.\n\n",
        );
        out.push_str("| attribute | environment variable |\n| --- | --- |\n");
        for (name, var) in env {
            let _ = writeln!(out, "| `{name}` | `{var}` |");
        }
        out.push('\n');
    }

    schema_section(&mut out, schema, false);

    if !resources.is_empty() || !data_sources.is_empty() {
        out.push_str("## Resources and data sources\n\n");
        for name in resources {
            let _ = writeln!(
                out,
                "- [`{name}`](resources/{}.md) (resource)",
                short_name(name)
            );
        }
        for name in data_sources {
            let _ = writeln!(
                out,
                "- [`{name}`](data-sources/{}.md) (data source)",
                short_name(name)
            );
        }
        for name in ephemerals {
            let _ = writeln!(
                out,
                "- [`{name}`](ephemeral-resources/{}.md) (ephemeral resource, Terraform 1.10+)",
                short_name(name)
            );
        }
        for name in functions {
            let _ = writeln!(
                out,
                "- [`provider::{PROVIDER}::{name}`](functions/{name}.md) (function, Terraform 1.8+)"
            );
        }
        out.push('\n');
    }
    finish(out)
}

fn resource_page(
    name: &str,
    schema: &Schema,
    list: Option<&Schema>,
    identity: &[&str],
    example: &str,
    import: &str,
) -> String {
    let mut out = String::new();
    front_matter(
        &mut out,
        &format!("{name} Resource - terraform-provider-{PROVIDER}"),
        schema.description,
    );
    let _ = writeln!(out, "# {name} (Resource)\n");
    let _ = writeln!(out, "{}\n", schema.description);
    out.push_str("## Example Usage\n\n");
    fence(&mut out, "terraform", example);
    schema_section(&mut out, schema, true);

    out.push_str("## Import\n\n");
    out.push_str("Import is supported using the following syntax:\n\n");
    fence(&mut out, "shell", import);
    let imports = import_commands(import);
    if !imports.is_empty() {
        let of = match identity {
            [_] => "with the same `id`".to_string(),
            parts => format!("of the id's parts ({})", quoted_names(parts)),
        };
        let _ = write!(
            out,
            "In Terraform 1.5 and later, an `import` block does the same as part of a plan \
             (and `terraform plan -generate-config-out=generated.tf` writes the configuration \
             for it). Terraform 1.12 and later also accept the resource identity, an object \
             {of}:\n\n",
        );
        let mut blocks = String::new();
        for (address, id) in &imports {
            // An identity of several attributes names the parts of the import id.
            let parts: Vec<&str> = match identity.len() {
                1 => vec![id.as_str()],
                n => id.splitn(n, '/').collect(),
            };
            let width = identity.iter().map(|a| a.len()).max().unwrap_or(0);
            let fields: String = if parts.len() == identity.len() {
                identity
                    .iter()
                    .zip(&parts)
                    .map(|(attr, part)| format!("    {attr:width$} = {}\n", hcl_string(part)))
                    .collect()
            } else {
                format!("    id = {}\n", hcl_string(id))
            };
            let id = hcl_string(id);
            let _ = write!(
                blocks,
                "import {{\n  to = {address}\n  id = {id}\n}}\n\n\
                 import {{\n  to = {address}\n  identity = {{\n{fields}  }}\n}}\n\n"
            );
        }
        fence(&mut out, "terraform", blocks.trim_end());
    }

    if let Some(list) = list {
        out.push_str("## List (terraform query)\n\n");
        let _ = writeln!(
            out,
            "Existing objects can be listed with `terraform query` (Terraform 1.14 and later) \
             from a `list` block in a `.tfquery.hcl` file; `terraform query \
             -generate-config-out=generated.tf` writes a resource and an import block for each \
             one found.\n"
        );
        let mut block = format!("list \"{name}\" \"all\" {{\n  provider = {PROVIDER}\n");
        if !list.attributes.is_empty() {
            block.push_str("\n  # Filters, all optional:\n  # config {\n");
            for (filter, attr) in sorted(&list.attributes) {
                let _ = writeln!(
                    block,
                    "  #   {filter} = {}",
                    placeholder(&attr.value_type())
                );
            }
            block.push_str("  # }\n");
        }
        block.push('}');
        fence(&mut out, "terraform", &block);
        if !list.attributes.is_empty() {
            out.push_str("### Filters (`config` block)\n\n");
            attribute_list(&mut out, &list.attributes, false, "list");
            out.push('\n');
        }
    }
    finish(out)
}

fn data_source_page(name: &str, schema: &Schema, example: &str) -> String {
    let mut out = String::new();
    front_matter(
        &mut out,
        &format!("{name} Data Source - terraform-provider-{PROVIDER}"),
        schema.description,
    );
    let _ = writeln!(out, "# {name} (Data Source)\n");
    let _ = writeln!(out, "{}\n", schema.description);
    out.push_str("## Example Usage\n\n");
    fence(&mut out, "terraform", example);
    schema_section(&mut out, schema, false);
    finish(out)
}

fn ephemeral_page(name: &str, schema: &Schema, example: &str) -> String {
    let mut out = String::new();
    front_matter(
        &mut out,
        &format!("{name} Ephemeral Resource - terraform-provider-{PROVIDER}"),
        schema.description,
    );
    let _ = writeln!(out, "# {name} (Ephemeral Resource)\n");
    let _ = writeln!(out, "{}\n", schema.description);
    out.push_str(
        "Ephemeral resources require Terraform 1.10+; feeding one into a write-only \
         argument requires Terraform 1.11+. Their values are never stored in plan or state.\n\n",
    );
    out.push_str("## Example Usage\n\n");
    fence(&mut out, "terraform", example);
    schema_section(&mut out, schema, false);
    finish(out)
}

fn function_page(f: &Function, example: &str) -> String {
    let mut out = String::new();
    front_matter(
        &mut out,
        &format!("{} function - terraform-provider-{PROVIDER}", f.name),
        f.summary,
    );
    let _ = writeln!(out, "# function: {}\n", f.name);
    let _ = writeln!(out, "{}\n", f.description);
    out.push_str("## Example Usage\n\n");
    fence(&mut out, "terraform", example);
    out.push_str("## Signature\n\n");
    let params: Vec<String> = f
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, hcl_type(&p.ty)))
        .collect();
    fence(
        &mut out,
        "text",
        &format!("{}({}) {}", f.name, params.join(", "), hcl_type(&f.returns)),
    );
    out.push_str("## Arguments\n\n");
    for (i, p) in f.parameters.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. `{}` ({}) {}",
            i + 1,
            p.name,
            type_name(&p.ty),
            p.description
        );
    }
    finish(out)
}

/// A type as Terraform's type constraint syntax (`string`, `object({...})`).
fn hcl_type(t: &Type) -> String {
    match t {
        Type::Bool => "bool".into(),
        Type::Number => "number".into(),
        Type::String => "string".into(),
        Type::Dynamic => "any".into(),
        Type::List(e) => format!("list({})", hcl_type(e)),
        Type::Set(e) => format!("set({})", hcl_type(e)),
        Type::Map(e) => format!("map({})", hcl_type(e)),
        Type::Tuple(items) => format!(
            "tuple([{}])",
            items.iter().map(hcl_type).collect::<Vec<_>>().join(", ")
        ),
        Type::Object(attrs) => format!(
            "object({{{}}})",
            attrs
                .iter()
                .map(|(n, t)| format!("{n} = {}", hcl_type(t)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// One trailing newline, no trailing blank lines.
fn finish(out: String) -> String {
    format!("{}\n", out.trim_end())
}

// ---- the schema section -----------------------------------------------------------

fn sorted<'a>(attrs: &'a [(&'static str, Attribute)]) -> Vec<(&'static str, &'a Attribute)> {
    let mut v: Vec<(&'static str, &Attribute)> = attrs.iter().map(|(n, a)| (*n, a)).collect();
    v.sort_by_key(|(n, _)| *n);
    v
}

/// Which list an attribute is shown in.
fn group(attr: &Attribute) -> &'static str {
    match attr.presence {
        Presence::Required => "Required",
        Presence::Optional | Presence::OptionalComputed => "Optional",
        Presence::Computed => "Read-Only",
    }
}

/// `## Schema` with the Required / Optional / Read-Only lists, then a section per
/// nested attribute (depth first, in the order they were mentioned).
fn schema_section(out: &mut String, schema: &Schema, is_resource: bool) {
    out.push_str("## Schema\n\n");
    for heading in ["Required", "Optional", "Read-Only"] {
        let attrs: Vec<(&'static str, Attribute)> = schema
            .attributes
            .iter()
            .filter(|(_, a)| group(a) == heading)
            .cloned()
            .collect();
        if attrs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {heading}\n");
        attribute_list(out, &attrs, is_resource, "");
        out.push('\n');
    }
    nested_sections(out, &schema.attributes, is_resource, "");
}

fn anchor(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        format!("nestedatt--{name}")
    } else {
        format!("{prefix}--{name}")
    }
}

fn nested_sections(
    out: &mut String,
    attrs: &[(&'static str, Attribute)],
    is_resource: bool,
    prefix: &str,
) {
    for (name, attr) in sorted(attrs) {
        let AttributeKind::Nested(children) = &attr.kind else {
            continue;
        };
        let id = anchor(prefix, name);
        let path = id.trim_start_matches("nestedatt--").replace("--", ".");
        let _ = writeln!(out, "<a id=\"{id}\"></a>");
        let _ = writeln!(out, "### Nested Schema for `{path}`\n");
        for heading in ["Required", "Optional", "Read-Only"] {
            let group_attrs: Vec<(&'static str, Attribute)> = children
                .iter()
                .filter(|(_, a)| group(a) == heading)
                .cloned()
                .collect();
            if group_attrs.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{heading}:\n");
            attribute_list(out, &group_attrs, is_resource, &id);
            out.push('\n');
        }
        nested_sections(out, children, is_resource, &id);
    }
}

/// `- \`name\` (Type) description. Notes.` for each attribute, sorted by name.
fn attribute_list(
    out: &mut String,
    attrs: &[(&'static str, Attribute)],
    is_resource: bool,
    prefix: &str,
) {
    for (name, attr) in sorted(attrs) {
        let mut kind = type_label(attr);
        if attr.sensitive {
            kind.push_str(", Sensitive");
        }
        if attr.write_only {
            kind.push_str(", Write-only");
        }
        let mut text = attr.description.trim().to_string();
        if !text.is_empty() && !text.ends_with(['.', '!', '?', ')', '`']) {
            text.push('.');
        }
        let mut notes: Vec<String> = Vec::new();
        for v in &attr.validators {
            match v {
                Validator::OneOf(words) if !names_all(&text, words) => {
                    notes.push(format!("Allowed values: {}.", code_list(words)))
                }
                Validator::EachOneOf(words) if !names_all(&text, words) => notes.push(format!(
                    "Allowed values for each element: {}.",
                    code_list(words)
                )),
                _ => {}
            }
        }
        // A nested object's default is shown attribute by attribute in its section.
        let nested = matches!(attr.kind, AttributeKind::Nested(_));
        if let Some(default) = attr.default.as_ref().filter(|_| !nested) {
            if !names_default(&text, default) {
                notes.push(format!("Defaults to `{}`.", hcl_value(default)));
            }
        }
        let lower = text.to_lowercase();
        let says_replace = [
            "forces a new resource",
            "forces replacement",
            "changing it replaces",
        ]
        .iter()
        .any(|phrase| lower.contains(phrase));
        if attr.write_only && !text.contains("Terraform 1.11") {
            notes.push(
                "Write-only: never stored in plan or state; requires Terraform 1.11+.".into(),
            );
        }
        if is_resource && attr.has(PlanModifier::RequiresReplace) && !says_replace {
            notes.push("Changing this forces a new resource.".into());
        }
        if prefix != "list" {
            if let AttributeKind::Nested(_) = attr.kind {
                notes.push(format!(
                    "(see [below for nested schema](#{}))",
                    anchor(prefix, name)
                ));
            }
        }
        let mut line = format!("- `{name}` ({kind})");
        for part in std::iter::once(text).chain(notes) {
            if !part.is_empty() {
                line.push(' ');
                line.push_str(&part);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
}

/// Whether a description already names every allowed value (as `code`).
fn names_all(description: &str, words: &[&str]) -> bool {
    words
        .iter()
        .all(|w| description.contains(&format!("`{w}`")))
}

/// Whether a description already states the default ("Default `false`.",
/// "defaults to `none`", "`none` (default)"), so the page does not say it twice.
fn names_default(description: &str, default: &Value) -> bool {
    let lower = description.to_lowercase();
    let shown = match default {
        Value::String(s) => s.clone(),
        other => hcl_value(other),
    };
    let shown = shown.to_lowercase();
    ["default `", "defaults to `", "default: `"]
        .iter()
        .any(|lead| lower.contains(&format!("{lead}{shown}`")))
        || lower.contains(&format!("`{shown}` (default)"))
}

fn code_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_label(attr: &Attribute) -> String {
    match &attr.kind {
        AttributeKind::Nested(_) => "Attributes".into(),
        AttributeKind::Value(t) => type_name(t),
    }
}

fn type_name(t: &Type) -> String {
    match t {
        Type::Bool => "Boolean".into(),
        Type::Number => "Number".into(),
        Type::String => "String".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Tuple(_) => "Tuple".into(),
        Type::Object(_) => "Object".into(),
    }
}

/// A value as HCL (for defaults).
fn hcl_value(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Unknown => "(known after apply)".into(),
        Value::Dynamic(_, v) => hcl_value(v),
        Value::Bool(b) => b.to_string(),
        Value::Number(Number::Int(i)) => i.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => hcl_string(s),
        Value::List(items) | Value::Set(items) => format!(
            "[{}]",
            items.iter().map(hcl_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) | Value::Object(m) => format!(
            "{{ {} }}",
            m.iter()
                .map(|(k, v)| format!("{k} = {}", hcl_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn hcl_string(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

/// A placeholder value of a type, for commented-out examples.
fn placeholder(t: &Type) -> String {
    match t {
        Type::Bool => "true".into(),
        Type::Number => "1".into(),
        Type::String => "\"...\"".into(),
        Type::List(_) | Type::Set(_) | Type::Tuple(_) => "[...]".into(),
        Type::Map(_) | Type::Object(_) | Type::Dynamic => "{ ... }".into(),
    }
}

/// The environment variable a provider attribute's description names
/// ("Environment variable: `HALOPSA_URL`").
fn env_var(description: &str) -> Option<&str> {
    let rest = description.split("Environment variable: `").nth(1)?;
    let var = rest.split('`').next()?;
    (!var.is_empty()
        && var
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
    .then_some(var)
}

/// The first sentence of a description (for the provider page's front matter).
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// `(address, id)` for every `terraform import ADDRESS ID` line of an import.sh.
/// `a`, `b`: attribute names as the docs quote them.
fn quoted_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn import_commands(script: &str) -> Vec<(String, String)> {
    script
        .lines()
        .filter_map(|line| {
            let words = shell_words(line.trim());
            match words.as_slice() {
                [tf, import, rest @ ..] if tf == "terraform" && import == "import" => {
                    let args: Vec<&String> = rest.iter().filter(|w| !w.starts_with('-')).collect();
                    match args.as_slice() {
                        [address, id] => Some(((*address).clone(), (*id).clone())),
                        _ => None,
                    }
                }
                _ => None,
            }
        })
        .collect()
}

/// Splits a simple shell command line into words, honouring single and double
/// quotes; a `#` starting a word begins a comment.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    in_word = true;
                }
                '#' if !in_word => break,
                c if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut word));
                        in_word = false;
                    }
                }
                c => {
                    word.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_choose_check_and_root() {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(
            parse(&[]),
            Ok(Some(Options {
                check: false,
                root: here.clone()
            }))
        );
        assert_eq!(
            parse(&owned(&["--check"])),
            Ok(Some(Options {
                check: true,
                root: here
            }))
        );
        assert_eq!(
            parse(&owned(&["--root", "/src/other", "--check"])),
            Ok(Some(Options {
                check: true,
                root: PathBuf::from("/src/other")
            }))
        );
        assert_eq!(
            parse(&owned(&["--root=/src/other"])).map(|o| o.map(|o| o.root)),
            Ok(Some(PathBuf::from("/src/other")))
        );
        assert_eq!(parse(&owned(&["--check", "--help"])), Ok(None));
    }

    #[test]
    fn every_mistake_names_its_flag() {
        for (args, text) in [
            (&["--root"][..], "--root needs a value"),
            (
                &["--root="][..],
                "--root needs a directory, not an empty value",
            ),
            (&["--chek"][..], "unknown argument \"--chek\""),
            (&["docs"][..], "unknown argument \"docs\""),
            (&["--check=yes"][..], "--check takes no value (got \"yes\")"),
            (
                &["--check", "--check"][..],
                "--check is given more than once",
            ),
        ] {
            assert_eq!(parse(&owned(args)), Err(text.to_owned()), "{args:?}");
        }
    }

    #[test]
    fn the_help_comes_from_the_table() {
        let usage = COMMAND.usage();
        for line in [
            "Usage: halopsa-docs [--check] [--root DIR]\n",
            "  --check     write nothing; exit 1 and list the files of docs/ that are stale,\n\
             \x20             missing or extra\n",
            "  --root DIR  the repository root",
            "\nExit status: 0 when docs/ was written",
        ] {
            assert!(usage.contains(line), "{line:?} in\n{usage}");
        }
    }

    #[test]
    fn import_lines_are_parsed_with_quotes_and_comments() {
        let script = "# Import by Halo id\nterraform import halopsa_organisation.example 12\n\
                      terraform import 'halopsa_role_department.x' \"3/4\" # composite\n";
        assert_eq!(
            import_commands(script),
            vec![
                ("halopsa_organisation.example".to_string(), "12".to_string()),
                ("halopsa_role_department.x".to_string(), "3/4".to_string()),
            ]
        );
    }

    #[test]
    fn env_vars_come_from_descriptions() {
        assert_eq!(
            env_var("The URL. Environment variable: `HALOPSA_URL`. Required."),
            Some("HALOPSA_URL")
        );
        assert_eq!(env_var("No variable here."), None);
    }

    #[test]
    fn attributes_show_type_validators_defaults_and_replacement() {
        let schema = Schema::new("A thing.")
            .attribute(
                "level",
                Attribute::string()
                    .required()
                    .requires_replace()
                    .validate(Validator::OneOf(&["a", "b"]))
                    .description("The level"),
            )
            .attribute(
                "flag",
                Attribute::bool()
                    .default(Value::Bool(false))
                    .description("A flag."),
            )
            .attribute(
                "secret",
                Attribute::string()
                    .computed()
                    .sensitive()
                    .description("A secret."),
            )
            .attribute(
                "perms",
                Attribute::nested(vec![(
                    "scopes",
                    Attribute::set_of(Type::String)
                        .validate(Validator::EachOneOf(&["x", "y"]))
                        .description("Scopes."),
                )])
                .description("Permissions."),
            );
        let mut out = String::new();
        schema_section(&mut out, &schema, true);
        assert!(out.contains(
            "### Required\n\n- `level` (String) The level. Allowed values: `a`, `b`. Changing this forces a new resource.\n"
        ), "{out}");
        assert!(
            out.contains("- `flag` (Boolean) A flag. Defaults to `false`.\n"),
            "{out}"
        );
        assert!(
            out.contains("### Read-Only\n\n- `secret` (String, Sensitive) A secret.\n"),
            "{out}"
        );
        assert!(out.contains(
            "- `perms` (Attributes) Permissions. (see [below for nested schema](#nestedatt--perms))"
        ), "{out}");
        let mut dup = String::new();
        let said = Schema::new("x").attribute(
            "level",
            Attribute::string()
                .default(Value::string("none"))
                .validate(Validator::OneOf(&["none", "all"]))
                .description("Either `none` or `all`. Default `none`."),
        );
        schema_section(&mut dup, &said, true);
        assert!(
            dup.contains("- `level` (String) Either `none` or `all`. Default `none`.\n"),
            "{dup}"
        );
        assert!(out.contains("### Nested Schema for `perms`\n\nOptional:\n\n- `scopes` (Set of String) Scopes. Allowed values for each element: `x`, `y`.\n"), "{out}");
    }

    #[test]
    fn pages_render_for_every_registered_type() {
        for r in provider::resources() {
            let page = resource_page(
                r.type_name(),
                &r.schema(),
                Some(&r.list_schema()),
                r.identity(),
                "resource \"x\" \"y\" {}",
                "terraform import x.y 1",
            );
            assert!(page.starts_with("---\npage_title: "), "{page}");
            assert!(page.contains("identity = {\n    id = \"1\"\n  }"), "{page}");
            assert!(page.ends_with("\n") && !page.ends_with("\n\n"));
        }
        for d in provider::data_sources() {
            let page = data_source_page(d.type_name(), &d.schema(), "data \"x\" \"y\" {}");
            assert!(page.contains("## Schema"), "{page}");
        }
    }
}
