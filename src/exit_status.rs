//! How a run ends: the process's exit code, one type, numbered in one place.

/// How a run ends, decided by the command drivers and numbered here only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: the command did its work, and no open finding reaches `--fail-on`.
    Success,
    /// 1: an open finding reaches `--fail-on` (`lsp`: the connection failed).
    Failure,
    /// 2: something could not be checked or written: a design or config error, a bad
    /// argument, an output that cannot be written.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> std::process::ExitCode {
        std::process::ExitCode::from(status.code())
    }
}
