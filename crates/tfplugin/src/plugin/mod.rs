//! The go-plugin side of the provider: the handshake with Terraform, AutoMTLS,
//! and the gRPC services go-plugin expects next to the provider itself
//! (controller, stdio, health).

pub mod proto;
pub mod tls;

use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use base64::Engine;
use futures::Stream;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;
use tonic::transport::Server;
use tonic::{Request, Response, Status};

use proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use proto::plugin::grpc_stdio_server::{GrpcStdio, GrpcStdioServer};
use proto::tfplugin6::provider_server::{Provider, ProviderServer};

const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// go-plugin's own handshake version (the first field of the handshake line).
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The Terraform plugin protocol this provider speaks.
const APP_PROTOCOL_VERSION: u32 = 6;
/// gRPC message limit both ways: large states and schemas must pass.
const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// Why the plugin could not start serving.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "This binary is a plugin for Terraform (or OpenTofu) and is not meant to be run by hand.\n\
         Install it and let Terraform start it: see the README. To debug it, run it with --debug."
    )]
    NotLaunchedByTerraform,
    #[error("Terraform asked for plugin protocol versions {0:?}; this provider speaks only version 6 (Terraform 1.6 or later)")]
    UnsupportedProtocol(String),
    #[error("PLUGIN_CLIENT_CERT is not set: Terraform starts providers with AutoMTLS, and this provider requires it")]
    NoClientCert,
    #[error("invalid {name}: {value:?}")]
    BadPortRange { name: &'static str, value: String },
    #[error("no free port between {min} and {max} on 127.0.0.1: {source}")]
    Bind {
        min: u16,
        max: u16,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] tls::TlsSetupError),
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Serves the provider to the Terraform process that started it.
///
/// `service` is the tfplugin6 service, usually a
/// [`ProviderService`](crate::server::ProviderService); the plugin layer takes any.
pub async fn serve_for_terraform<P: Provider>(service: P) -> Result<(), ServeError> {
    if std::env::var(MAGIC_COOKIE_KEY).ok().as_deref() != Some(MAGIC_COOKIE_VALUE) {
        return Err(ServeError::NotLaunchedByTerraform);
    }
    let versions = std::env::var("PLUGIN_PROTOCOL_VERSIONS").unwrap_or_default();
    if !versions
        .split(',')
        .any(|v| v.trim() == APP_PROTOCOL_VERSION.to_string())
    {
        return Err(ServeError::UnsupportedProtocol(versions));
    }
    let client_cert = std::env::var("PLUGIN_CLIENT_CERT").map_err(|_| ServeError::NoClientCert)?;
    let tls = tls::server_tls(&client_cert)?;
    let listener =
        bind_in_range(port_env("PLUGIN_MIN_PORT")?, port_env("PLUGIN_MAX_PORT")?).await?;
    let addr = listener.local_addr()?;

    let cert = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&tls.certificate_der);
    // The handshake line is the contract with go-plugin: print it alone, then flush.
    println!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}");
    std::io::Write::flush(&mut std::io::stdout())?;
    tracing::debug!(%addr, "serving plugin protocol 6 with AutoMTLS");

    let incoming = tls_incoming(listener, TlsAcceptor::from(tls.config));
    run_server(service, incoming).await
}

/// Serves without Terraform starting the process (`--debug`): prints the
/// `TF_REATTACH_PROVIDERS` value for a Terraform run in another shell. Plain TCP on
/// loopback, since no client certificate is known in advance.
pub async fn serve_debug<P: Provider>(
    service: P,
    provider_address: &str,
) -> Result<(), ServeError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let reattach = serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": APP_PROTOCOL_VERSION,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": { "Network": "tcp", "String": addr.to_string() }
        }
    });
    println!("Provider started in debug mode. To attach Terraform, set in another shell:\n");
    println!("\tTF_REATTACH_PROVIDERS='{reattach}'\n");
    println!("Stop with Ctrl-C.");
    let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
    tokio::select! {
        r = run_server(service, incoming) => r,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

async fn run_server<P: Provider, S, IO>(service: P, incoming: S) -> Result<(), ServeError>
where
    S: Stream<Item = Result<IO, std::io::Error>> + Send + 'static,
    IO: tokio::io::AsyncRead
        + tokio::io::AsyncWrite
        + tonic::transport::server::Connected
        + Unpin
        + Send
        + 'static,
{
    let (shutdown_tx, mut shutdown_rx) = watch::channel(false);
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    let provider = ProviderServer::new(service)
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let controller = GrpcControllerServer::new(Controller {
        shutdown: shutdown_tx,
    });
    let stdio = GrpcStdioServer::new(Stdio {
        shutdown: shutdown_rx.clone(),
    });

    let server = Server::builder()
        .add_service(health_service)
        .add_service(controller)
        .add_service(stdio)
        .add_service(provider)
        .serve_with_incoming_shutdown(incoming, async move {
            let _ = shutdown_rx.wait_for(|stop| *stop).await;
        });
    tokio::pin!(server);
    let mut stop_watch = server_stop_signal();
    tokio::select! {
        r = &mut server => r?,
        _ = stop_watch.wait_for(|stop| *stop) => {
            // Shutdown was asked for: give open calls a moment, then stop regardless
            // of idle connections Terraform keeps open.
            let _ = tokio::time::timeout(Duration::from_millis(500), &mut server).await;
        }
    }
    Ok(())
}

/// A process-wide flag set when GRPCController.Shutdown is called.
fn server_stop_signal() -> watch::Receiver<bool> {
    STOP.with_receiver()
}

struct StopFlag(std::sync::OnceLock<watch::Sender<bool>>);

impl StopFlag {
    fn sender(&self) -> &watch::Sender<bool> {
        self.0.get_or_init(|| watch::channel(false).0)
    }

    fn with_receiver(&self) -> watch::Receiver<bool> {
        self.sender().subscribe()
    }
}

static STOP: StopFlag = StopFlag(std::sync::OnceLock::new());

fn port_env(name: &'static str) -> Result<Option<u16>, ServeError> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<u16>()
            .map(Some)
            .map_err(|_| ServeError::BadPortRange { name, value: v }),
        _ => Ok(None),
    }
}

async fn bind_in_range(min: Option<u16>, max: Option<u16>) -> Result<TcpListener, ServeError> {
    let (min, max) = match (min, max) {
        (None, None) => (0, 0),
        (min, max) => (min.unwrap_or(1024), max.unwrap_or(65535)),
    };
    if min == 0 && max == 0 {
        return TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|source| ServeError::Bind { min, max, source });
    }
    let mut last = std::io::Error::other("empty port range");
    for port in min..=max {
        match TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
            Ok(l) => return Ok(l),
            Err(e) => last = e,
        }
    }
    Err(ServeError::Bind {
        min,
        max,
        source: last,
    })
}

/// Accepts TCP connections and completes each TLS handshake on its own task, so a
/// client that stalls or is refused never holds up the others.
fn tls_incoming(
    listener: TcpListener,
    acceptor: TlsAcceptor,
) -> impl Stream<Item = Result<tokio_rustls::server::TlsStream<TcpStream>, std::io::Error>> {
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        loop {
            let (tcp, peer) = match listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    continue;
                }
            };
            // Small gRPC frames must not wait on Nagle's algorithm.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY");
            }
            let acceptor = acceptor.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
                    Ok(Ok(tls)) => {
                        let _ = tx.send(Ok(tls)).await;
                    }
                    Ok(Err(e)) => tracing::warn!(%peer, error = %e, "refused a TLS client"),
                    Err(_) => tracing::warn!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

struct Controller {
    shutdown: watch::Sender<bool>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(
        &self,
        _request: Request<proto::plugin::Empty>,
    ) -> Result<Response<proto::plugin::Empty>, Status> {
        tracing::debug!("Terraform asked the plugin to shut down");
        let _ = self.shutdown.send(true);
        let _ = STOP.sender().send(true);
        Ok(Response::new(proto::plugin::Empty {}))
    }
}

/// go-plugin reads the plugin's stdout/stderr through this stream. The provider
/// writes nothing there (logs go to stderr directly), so the stream stays open and
/// silent until shutdown.
struct Stdio {
    shutdown: watch::Receiver<bool>,
}

type StdioStream = Pin<Box<dyn Stream<Item = Result<proto::plugin::StdioData, Status>> + Send>>;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = StdioStream;

    async fn stream_stdio(
        &self,
        _request: Request<proto::google::protobuf::Empty>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let mut shutdown = self.shutdown.clone();
        let stream = futures::stream::once(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
            Err(Status::unavailable("plugin shutting down"))
        });
        Ok(Response::new(Box::pin(stream)))
    }
}
