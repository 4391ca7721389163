//! The clock the domain is given. The domain never reads the time itself: whoever
//! makes its authority (a request, a command, a job's turn, a test) hands it a clock,
//! either the system's or one stopped at an instant, so a test can run the domain on
//! any date and a job acts at the instant its turn began.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system's time, read at each use.
    System,
    /// Stopped at one instant.
    At(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::At(at) => at,
        }
    }
    /// The time as the database stores it (naive UTC).
    pub fn naive(self) -> NaiveDateTime {
        self.now().naive_utc()
    }
    /// The date in UTC.
    pub fn today(self) -> NaiveDate {
        self.now().date_naive()
    }
}
