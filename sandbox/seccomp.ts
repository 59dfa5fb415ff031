import type { SandboxRuntime } from './limits.js';

/**
 * The seccomp profile every sandbox runs under: an allowlist of the system calls a Python program
 * (threads, subprocesses, multiprocessing, numpy) needs, and nothing that administers the kernel.
 *
 * Why our own list instead of Docker's default: Docker 20.10's default still allows io_uring (moby
 * dropped it in v25), and a custom profile replaces the default wholesale. Anything not listed
 * fails with EPERM, including io_uring_*, bpf, keyctl/add_key/request_key, perf_event_open,
 * userfaultfd, mount/umount2/pivot_root/chroot, unshare/setns, ptrace and process_vm_*,
 * kexec/module loading, open_by_handle_at, readahead, AF_INET/AF_INET6 sockets, and every system
 * call added to Linux after this list.
 *
 * gVisor applies it too (runsc registered with --oci-seccomp, sandbox/runsc.ts), to the calls
 * the program makes to gVisor's own kernel; its variant differs only where noted below.
 */

const ALLOWED: readonly string[] = [
  // files and descriptors
  'read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'preadv2',
  'pwritev2', 'open', 'openat', 'openat2', 'creat', 'close', 'close_range', 'lseek', 'stat',
  'fstat', 'lstat', 'newfstatat', 'statx', 'statfs', 'fstatfs', 'access', 'faccessat',
  'faccessat2', 'readlink', 'readlinkat', 'getdents', 'getdents64', 'mkdir', 'mkdirat', 'rmdir',
  'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink',
  'symlinkat', 'chmod', 'fchmod', 'fchmodat', 'fchmodat2', 'chown', 'fchown', 'fchownat', 'lchown',
  'truncate', 'ftruncate', 'fsync', 'fdatasync', 'sync_file_range', 'fallocate', 'utime',
  'utimes', 'utimensat', 'futimesat', 'umask', 'chdir', 'fchdir', 'getcwd', 'dup', 'dup2', 'dup3', 'fcntl', 'flock', 'ioctl', 'pipe', 'pipe2',
  'splice', 'tee', 'vmsplice', 'sendfile', 'copy_file_range', 'getxattr', 'lgetxattr',
  'fgetxattr', 'listxattr', 'llistxattr', 'flistxattr', 'setxattr', 'lsetxattr', 'fsetxattr',
  'removexattr', 'lremovexattr', 'fremovexattr', 'inotify_init', 'inotify_init1',
  'inotify_add_watch', 'inotify_rm_watch', 'memfd_create',
  // memory (mincore shows the page cache only of files the caller may write, since Linux 5.0)
  'brk', 'mmap', 'munmap', 'mremap', 'mprotect', 'madvise', 'msync', 'mincore', 'mlock',
  'mlock2', 'munlock', 'mlockall', 'munlockall', 'membarrier', 'get_mempolicy', 'pkey_alloc',
  'pkey_free', 'pkey_mprotect',
  // processes and threads (clone is allowed below, only without namespace flags)
  'fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid', 'kill',
  'tkill', 'tgkill', 'pidfd_open', 'pidfd_send_signal', 'getpid', 'getppid', 'gettid',
  'getpgid', 'getpgrp', 'setpgid', 'getsid', 'setsid', 'getuid', 'geteuid', 'getgid', 'getegid',
  'getgroups', 'getresuid', 'getresgid', 'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid',
  'setresgid', 'setgroups', 'setfsuid', 'setfsgid', 'capget', 'capset', 'prctl', 'arch_prctl',
  'set_tid_address', 'set_robust_list', 'get_robust_list', 'rseq', 'futex', 'futex_waitv',
  'sched_yield', 'sched_getaffinity', 'sched_setaffinity', 'sched_getparam', 'sched_setparam',
  'sched_getscheduler', 'sched_setscheduler', 'sched_get_priority_max', 'sched_get_priority_min',
  'sched_rr_get_interval', 'getpriority', 'setpriority', 'getrlimit', 'setrlimit', 'prlimit64',
  'getrusage', 'times', 'uname', 'sysinfo', 'getcpu', 'getrandom', 'restart_syscall', 'seccomp',
  // signals
  'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'rt_sigpending', 'rt_sigtimedwait',
  'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'rt_sigsuspend', 'sigaltstack', 'signalfd',
  'signalfd4',
  // time, timers and waiting
  'nanosleep', 'clock_nanosleep', 'clock_gettime', 'clock_getres', 'gettimeofday', 'time',
  'alarm', 'pause', 'getitimer', 'setitimer', 'timer_create', 'timer_settime', 'timer_gettime',
  'timer_getoverrun', 'timer_delete', 'timerfd_create', 'timerfd_settime', 'timerfd_gettime',
  'eventfd', 'eventfd2', 'epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_wait',
  'epoll_pwait', 'epoll_pwait2', 'poll', 'ppoll', 'select', 'pselect6',
  // System V and POSIX IPC (multiprocessing), private to the container's IPC namespace
  'shmget', 'shmat', 'shmdt', 'shmctl', 'semget', 'semop', 'semtimedop', 'semctl', 'msgget',
  'msgsnd', 'msgrcv', 'msgctl', 'mq_open', 'mq_unlink', 'mq_timedsend', 'mq_timedreceive',
  'mq_notify', 'mq_getsetattr',
  // sockets (socket() itself is limited to the families below)
  'socketpair', 'bind', 'connect', 'listen', 'accept', 'accept4', 'getsockname', 'getpeername',
  'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg', 'shutdown', 'setsockopt',
  'getsockopt',
];

/**
 * Host-wide under runc: answered "success" without running (errno 0), so programs that call them
 * keep working. fsync and fdatasync stay real: they write back only the program's own files.
 */
const NO_OPS: readonly string[] = [
  'sync', // writes back every dirty page on the host: a stall of everyone's I/O
  'syncfs', // on the root, the same for the host file system under Docker's overlay
  'fadvise64', // DONTNEED evicts shared image files from the host's page cache: a side channel
];

/**
 * The only sockets: AF_UNIX (multiprocessing, socketpair, asyncio) and netlink's NETLINK_ROUTE
 * (glibc's getaddrinfo and if_nameindex ask the kernel about interfaces through it). There is no
 * network, so AF_INET and AF_INET6 are refused, loopback included: runc (cgroup v1) doesn't charge
 * TCP buffers to the memory limit, and a 128 MiB sandbox queued ~900 MiB in loopback connections.
 * Other netlink families are kernel interfaces (NETLINK_KOBJECT_UEVENT broadcasts the host's
 * device events).
 */
const AF_UNIX = 1;
const AF_NETLINK = 16;
const NETLINK_ROUTE = 0;

/** Namespace-creating clone flags: NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;

const EPERM = 1;
const ENOSYS = 38;

interface SyscallRule {
  names: string[];
  action: 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO';
  errnoRet?: number;
  args?: { index: number; value: number; valueTwo: number; op: string }[];
}

function equals(index: number, value: number): NonNullable<SyscallRule['args']>[number] {
  return { index, value, valueTwo: 0, op: 'SCMP_CMP_EQ' };
}

/**
 * The rules that differ between runtimes. The runsc tested (2022) answers EPERM to every
 * SCMP_ACT_ERRNO rule whatever its errnoRet (measured), so under gVisor these are allowed instead:
 * what gVisor runs for them is its own, and reaches nothing host-wide.
 */
function runtimeRules(runtime: SandboxRuntime): SyscallRule[] {
  if (runtime === 'runsc') {
    // clone3: gVisor answers ENOSYS itself, and glibc falls back to clone (flags checked); an EPERM
    // from the filter would stop that fallback, and with it every new thread. sync, syncfs and
    // fadvise64 act on gVisor's own file systems and page cache.
    return [{ names: ['clone3', ...NO_OPS], action: 'SCMP_ACT_ALLOW' }];
  }
  return [
    // clone3 passes its flags in memory, where seccomp can't see them; ENOSYS makes glibc fall
    // back to clone, whose flags the clone rule checks.
    { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
    { names: [...NO_OPS], action: 'SCMP_ACT_ERRNO', errnoRet: 0 },
  ];
}

function buildProfile(runtime: SandboxRuntime): { defaultAction: string; defaultErrnoRet: number; syscalls: SyscallRule[] } {
  return {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: EPERM,
    syscalls: [
      { names: [...ALLOWED], action: 'SCMP_ACT_ALLOW' },
      {
        names: ['clone'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
      },
      ...runtimeRules(runtime),
      { names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [equals(0, AF_UNIX)] },
      { names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [equals(0, AF_NETLINK), equals(2, NETLINK_ROUTE)] },
      // personality(0) and the query form only: other personas switch off ASLR and the like.
      ...[0, 0xffffffff].map((persona): SyscallRule => ({ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [equals(0, persona)] })),
    ],
  };
}

/** Each runtime's profile, as the JSON text Docker's `seccomp=` security option takes over the API. */
export const SECCOMP_PROFILE_JSON: Readonly<Record<SandboxRuntime, string>> = {
  runc: JSON.stringify(buildProfile('runc')),
  runsc: JSON.stringify(buildProfile('runsc')),
};
