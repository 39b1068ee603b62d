//! What a VMS holds, parsed from what its tools print: Kubernetes objects
//! ([`kube`]) and the tenant database built from them ([`tenant`]). Parsers take
//! bytes and return typed values; they never touch SSH.

pub mod kube;
pub mod redis;
pub mod tenant;
