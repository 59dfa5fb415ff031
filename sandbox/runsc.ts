/** Without it, runsc ignores a container's seccomp profile: our filter (sandbox/seccomp.ts) would not apply inside gVisor. */
export const OCI_SECCOMP = '--oci-seccomp';

/**
 * The flags gVisor's runsc must be registered with in Docker's daemon.json: `npm run setup`
 * (scripts/daemon-json.ts) adds them, and `sandpiper doctor` checks that runsc has OCI_SECCOMP.
 */
export const RUNSC_FLAGS: readonly string[] = [
  '--network=none', // containers get no network anyway: spares gVisor setting up its network stack
  OCI_SECCOMP,
];
