//! `sr export` and `sr import`: a whole registry to and from the dump format of
//! `schema_registry::registry::dump`, on a sled directory or a PostgreSQL database.

use std::io::Write;

use schema_registry::registry::Registry;
use schema_registry::storage::postgres::mask_url;

use crate::args::StoreArgs;
use crate::exit::{fail, Exit};

fn open(args: &StoreArgs) -> Result<(Registry, String), Exit> {
    match (&args.data, &args.database_url) {
        (_, Some(url)) => Registry::connect(url)
            .map(|r| (r, mask_url(url)))
            .map_err(|e| fail(format!("cannot open the database: {e}"))),
        (Some(dir), None) => {
            // Opening a missing directory would create an empty registry: refuse instead.
            if !dir.exists() {
                return Err(fail(format!(
                    "cannot open the registry in {}: no such directory",
                    dir.display()
                )));
            }
            Registry::open(dir)
                .map(|r| (r, dir.display().to_string()))
                .map_err(|e| {
                    fail(format!(
                        "cannot open the registry in {} (is sr serve running on it?): {e}",
                        dir.display()
                    ))
                })
        }
        (None, None) => Err(fail("give --data DIR or --database-url URL")),
    }
}

/// Writes the registry's dump to stdout.
pub fn export(args: &StoreArgs) -> Exit {
    let (registry, name) = match open(args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match registry.export(&mut out) {
        Ok(counts) => {
            if let Err(e) = out.flush() {
                return fail(format!("cannot write the dump: {e}"));
            }
            eprintln!(
                "exported {} schemas, {} subjects, {} versions from {name}",
                counts.schemas, counts.subjects, counts.versions
            );
            Exit::Success
        }
        Err(e) => fail(format!("cannot export {name}: {e}")),
    }
}

/// Loads a dump from stdin, all or nothing.
pub fn import(args: &StoreArgs) -> Exit {
    let (registry, name) = match open(args) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let result = registry.import(&mut input);
    let flushed = registry.flush();
    match (result, flushed) {
        (Ok(counts), Ok(())) => {
            eprintln!(
                "imported {} schemas, {} subjects, {} versions into {name}",
                counts.schemas, counts.subjects, counts.versions
            );
            Exit::Success
        }
        (Err(e), _) => fail(format!("stdin: nothing imported into {name}: {e}")),
        (_, Err(e)) => fail(format!("cannot flush {name}: {e}")),
    }
}
