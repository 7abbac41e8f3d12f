//! The server's stdio transport: lsp-server's `Connection` and message types, with the
//! framing read here so that a message's size is checked before anything is allocated
//! for it. lsp-server's own reader sizes its buffer from `Content-Length` as sent
//! (`Content-Length: 100000000000` aborted the process, 2^64 - 1 panicked), and reads
//! a header line of any length.

use std::io::{self, BufRead, Read};
use std::thread::{self, JoinHandle};

use lsp_server::{Connection, Message};

/// The largest message the server reads: a document of `check`'s largest file (64 MiB),
/// escaped as JSON, fits.
pub(super) const MAX_MESSAGE_BYTES: usize = 160 << 20;
/// The longest header line.
const MAX_HEADER_BYTES: u64 = 8 << 10;
/// How many read messages may wait for the server: a burst of edits is merged in
/// batches of this many.
const QUEUED: usize = 16;

/// The reader's and the writer's threads; the reader's answer says why input ended.
pub(super) struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both; the reader's error first (what it could not read is the cause).
    pub(super) fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader stopped")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer stopped")));
        reader.and(writer)
    }
}

/// A connection over standard input and output.
pub(super) fn stdio() -> (Connection, Threads) {
    let (writer_sender, writer_receiver) = crossbeam_channel::bounded::<Message>(0);
    let writer = thread::spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        writer_receiver
            .into_iter()
            .try_for_each(|message| message.write(&mut stdout))
    });
    // Room for a burst of edits to queue while one is analysed, so that the server
    // merges them (`lsp::superseded`); bounded, so that what waits is at most this many
    // messages, each under the size limit.
    let (reader_sender, reader_receiver) = crossbeam_channel::bounded::<Message>(QUEUED);
    let reader = thread::spawn(move || {
        let stdin = io::stdin();
        let mut stdin = stdin.lock();
        while let Some(message) = read(&mut stdin)? {
            let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
            reader_sender.send(message).map_err(io::Error::other)?;
            if exit {
                break;
            }
        }
        Ok(())
    });
    let connection = Connection {
        sender: writer_sender,
        receiver: reader_receiver,
    };
    (connection, Threads { reader, writer })
}

/// One message: its headers (each line at most 8 KiB), then a body of at most
/// [`MAX_MESSAGE_BYTES`], read in full only once its size is known to be within it.
/// `None` at the end of the input between messages.
pub(super) fn read(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut size: Option<usize> = None;
    let mut line = String::new();
    let mut first = true;
    loop {
        line.clear();
        let read = input.by_ref().take(MAX_HEADER_BYTES).read_line(&mut line)?;
        if read == 0 {
            return if first {
                Ok(None)
            } else {
                Err(invalid("the input ended inside a message's headers"))
            };
        }
        first = false;
        let Some(header) = line.strip_suffix("\r\n") else {
            return Err(invalid(format!(
                "a header line longer than {MAX_HEADER_BYTES} bytes, or not ended by CRLF"
            )));
        };
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(": ") else {
            return Err(invalid(format!("malformed header: {header:?}")));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            let length: u64 = value
                .trim()
                .parse()
                .map_err(|_| invalid(format!("Content-Length {value:?} is not a size")))?;
            if length > MAX_MESSAGE_BYTES as u64 {
                return Err(invalid(format!(
                    "a message of {length} bytes, more than the {MAX_MESSAGE_BYTES} the server reads"
                )));
            }
            size = Some(length as usize);
        }
    }
    let size = size.ok_or_else(|| invalid("a message without Content-Length"))?;
    let mut framed = format!("Content-Length: {size}\r\n\r\n").into_bytes();
    let start = framed.len();
    framed.resize(start + size, 0);
    input.read_exact(&mut framed[start..])?;
    Message::read(&mut &framed[..])
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked_before_anything_is_allocated() {
        for header in [
            "Content-Length: 100000000000\r\n\r\n",
            "Content-Length: 18446744073709551615\r\n\r\n",
            "Content-Length: 99999999999999999999999\r\n\r\n",
            "Content-Length: -1\r\n\r\n",
        ] {
            let error = read(&mut header.as_bytes()).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{header:?}");
        }
        let long = format!("X-{}: y\r\n\r\n", "a".repeat(100_000));
        assert!(read(&mut long.as_bytes()).is_err());
        assert!(read(&mut "".as_bytes()).unwrap().is_none());
        assert!(read(&mut "Content-Length: 5\r\n".as_bytes()).is_err());
    }

    #[test]
    fn a_message_reads_as_lsp_server_reads_it() {
        let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let mut input = framed.as_bytes();
        let message = read(&mut input).unwrap().unwrap();
        assert!(matches!(message, Message::Notification(n) if n.method == "initialized"));
        assert!(read(&mut input).unwrap().is_none());
    }
}
