//! Reads one check per line on stdin and prints `ok` or `fail` for each, using only the ics23
//! crate's verifier (the one IBC's Rust stack uses). Lines (fields hex-encoded, space-separated):
//!
//!   member     <ProofSpec> <root> <key> <value> <CommitmentProof>
//!   nonmember  <ProofSpec> <root> <key> <CommitmentProof>
//!   spec-is-smt <ProofSpec>      (ok iff the spec equals the crate's own `smt_spec()`)
use std::io::{self, BufRead, Write};

use ics23::{CommitmentProof, HostFunctionsManager, ProofSpec};
use prost::Message;

fn check(line: &str) -> Result<bool, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let bytes = |i: usize| -> Result<Vec<u8>, String> {
        hex::decode(fields.get(i).ok_or("missing field")?).map_err(|e| e.to_string())
    };
    let spec = || -> Result<ProofSpec, String> {
        ProofSpec::decode(bytes(1)?.as_slice()).map_err(|e| e.to_string())
    };
    let proof = |i: usize| -> Result<CommitmentProof, String> {
        CommitmentProof::decode(bytes(i)?.as_slice()).map_err(|e| e.to_string())
    };
    match fields.first().copied() {
        Some("member") => Ok(ics23::verify_membership::<HostFunctionsManager>(
            &proof(5)?, &spec()?, &bytes(2)?, &bytes(3)?, &bytes(4)?,
        )),
        Some("nonmember") => Ok(ics23::verify_non_membership::<HostFunctionsManager>(
            &proof(4)?, &spec()?, &bytes(2)?, &bytes(3)?,
        )),
        Some("spec-is-smt") => Ok(spec()? == ics23::smt_spec()),
        other => Err(format!("unknown check {other:?}")),
    }
}

fn main() {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        if line.trim().is_empty() {
            continue;
        }
        let answer = match check(&line) {
            Ok(true) => "ok".to_string(),
            Ok(false) => "fail".to_string(),
            Err(e) => format!("error {e}"),
        };
        writeln!(out, "{answer}").expect("stdout");
        out.flush().expect("stdout");
    }
}
