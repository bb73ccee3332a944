//! A TCP listener whose connections a handler can cut: the `commit_then_drop`
//! fault closes the connection after the request ran, before any byte of the
//! answer is written, so the client sees a transport error.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The switch that cuts one connection; handlers find it as `ConnectInfo<ConnKill>`.
#[derive(Debug, Clone, Default)]
pub struct ConnKill(Arc<AtomicBool>);

impl ConnKill {
    /// From now on, the connection fails every read and write.
    pub fn kill(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn killed(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Accepts [`KillableStream`]s.
pub struct KillableListener(pub TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    if let Err(err) = stream.set_nodelay(true) {
                        tracing::debug!("cannot set TCP_NODELAY: {err}");
                    }
                    let stream = KillableStream {
                        inner: stream,
                        kill: ConnKill::default(),
                    };
                    return (stream, addr);
                }
                Err(err) => {
                    tracing::warn!("accept failed: {err}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A TCP stream that errors once its [`ConnKill`] is thrown.
pub struct KillableStream {
    inner: TcpStream,
    kill: ConnKill,
}

impl KillableStream {
    fn cut(&self) -> Option<io::Error> {
        self.kill.killed().then(|| {
            io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "connection cut by an injected fault",
            )
        })
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for ConnKill {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        stream.io().kill.clone()
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.cut() {
            Some(err) => Poll::Ready(Err(err)),
            None => Pin::new(&mut this.inner).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match this.cut() {
            Some(err) => Poll::Ready(Err(err)),
            None => Pin::new(&mut this.inner).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match this.cut() {
            Some(err) => Poll::Ready(Err(err)),
            None => Pin::new(&mut this.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match this.cut() {
            Some(err) => Poll::Ready(Err(err)),
            None => Pin::new(&mut this.inner).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
