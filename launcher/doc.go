// Package launcher opens the places where people log in with their code:
// a web portal in the system's browser or a remote desktop through the
// RDP client, with the code passed along so that nobody types it.
//
// What may be launched comes from a provisioning profile that the
// organisation signs with Ed25519 (see docs/profile.md): Verify and Install
// refuse a profile with a bad signature, an unknown key, an expiry in the
// past, a version lower than one accepted before, or a target that is not
// https, and a refusal changes nothing stored. People may add web targets
// of their own, https only, which get the code by clipboard only.
//
// Guarantees: a code, or the person's own password for a remote desktop,
// never appears in argv, an environment variable, a file, a log line or
// an error; where it must be shown (a dry run) it is masked. The one
// place it is handed over outside the client's standard input is a
// short-lived Windows credential for mstsc.exe, only where the profile
// allows it (RDP.CredentialManager), held for the logon session at most
// and deleted once the client has exited or after a minute. Programs run
// without a shell. Time, sleeping, the browser, the
// clipboard and the RDP client are parameters, so that the logic is tested
// against real programs (Chromium, xfreerdp) and fakes only where the real
// one cannot run.
package launcher
