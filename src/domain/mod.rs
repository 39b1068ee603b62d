//! What a VMS holds, parsed from what its tools print: Kubernetes objects
//! ([`kube`]), the tenant database built from them ([`tenant`]), ConfigMap
//! contents ([`cm`]) and log files ([`logs`]). Parsers take
//! bytes and return typed values; they never touch SSH.

pub mod cm;
pub mod kube;
pub mod logs;
pub mod redis;
pub mod tenant;
