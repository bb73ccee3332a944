//! The go-plugin side of the provider, exercised on the real binary: the handshake
//! line, AutoMTLS pinned to Terraform's client certificate, and shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use terraform_provider_halopsa::plugin::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_halopsa::plugin::proto::plugin::Empty;
use terraform_provider_halopsa::plugin::proto::tfplugin6::get_provider_schema;
use terraform_provider_halopsa::plugin::proto::tfplugin6::provider_client::ProviderClient;

const BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-halopsa");
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// A client certificate like Terraform's: self-signed, P-521, marked as a CA.
struct ClientIdentity {
    cert_der: Vec<u8>,
    cert_pem: String,
    key_der: Vec<u8>,
}

fn client_identity() -> ClientIdentity {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).expect("cert");
    ClientIdentity {
        cert_der: cert.der().to_vec(),
        cert_pem: cert.pem(),
        key_der: key.serialize_der(),
    }
}

struct Plugin {
    child: Child,
    addr: String,
    server_cert: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client: &ClientIdentity) -> Plugin {
    let mut child = Command::new(BIN)
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", &client.cert_pem)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start provider");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("handshake line");
    let parts: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line {line:?}");
    assert_eq!(&parts[..3], &["1", "6", "tcp"], "handshake line {line:?}");
    assert_eq!(parts[4], "grpc");
    let port: u16 = parts[3]
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert!(
        (10000..=25000).contains(&port),
        "port {port} outside PLUGIN_MIN_PORT..PLUGIN_MAX_PORT"
    );
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(parts[5])
        .expect("cert b64");
    Plugin {
        child,
        addr: parts[3].to_string(),
        server_cert,
    }
}

fn tls_client(plugin: &Plugin, identity: Option<&ClientIdentity>) -> tokio_rustls::TlsConnector {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    // Like go-plugin, trust exactly the certificate from the handshake line.
    let verifier = Arc::new(PinnedServer {
        cert: plugin.server_cert.clone(),
        provider: provider.clone(),
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(id.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(id.key_der.clone())),
            )
            .expect("client auth"),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

#[derive(Debug)]
struct PinnedServer {
    cert: Vec<u8>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_slice() {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the plugin's certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

async fn channel(
    plugin: &Plugin,
    identity: Option<&ClientIdentity>,
) -> Result<tonic::transport::Channel, String> {
    let connector = tls_client(plugin, identity);
    let addr = plugin.addr.clone();
    tonic::transport::Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            let addr = addr.clone();
            async move {
                let tcp = tokio::net::TcpStream::connect(addr).await?;
                let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
                let tls = connector.connect(name, tcp).await?;
                Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(tls))
            }
        }))
        .await
        .map_err(|e| format!("{e:?}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn terraforms_certificate_is_accepted_and_schema_served() {
    let id = client_identity();
    let plugin = start_plugin(&id);
    runtime().block_on(async {
        let ch = channel(&plugin, Some(&id))
            .await
            .expect("connect with Terraform's certificate");
        let schema = ProviderClient::new(ch)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .expect("GetProviderSchema")
            .into_inner();
        assert!(schema.resource_schemas.contains_key("halopsa_organisation"));
        let provider = schema
            .provider
            .and_then(|p| p.block)
            .expect("provider block");
        let secret = provider
            .attributes
            .iter()
            .find(|a| a.name == "client_secret")
            .expect("client_secret");
        assert!(secret.sensitive, "client_secret must be sensitive");
    });
}

#[test]
fn clients_without_terraforms_certificate_are_refused() {
    let id = client_identity();
    let plugin = start_plugin(&id);
    let stranger = client_identity();
    runtime().block_on(async {
        for (what, identity) in [
            ("no client certificate", None),
            ("another certificate", Some(&stranger)),
        ] {
            let outcome = match channel(&plugin, identity).await {
                Err(e) => Err(e),
                Ok(ch) => ProviderClient::new(ch)
                    .get_provider_schema(get_provider_schema::Request {})
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            };
            assert!(outcome.is_err(), "a client with {what} was served");
        }
    });
}

#[test]
fn shutdown_ends_the_process_within_a_second() {
    let id = client_identity();
    let mut plugin = start_plugin(&id);
    runtime().block_on(async {
        let ch = channel(&plugin, Some(&id)).await.expect("connect");
        let started = Instant::now();
        GrpcControllerClient::new(ch)
            .shutdown(Empty {})
            .await
            .expect("Shutdown");
        loop {
            if let Some(status) = plugin.child.try_wait().expect("wait") {
                assert!(status.success(), "exit status {status}");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "still running 1 s after Shutdown"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
}

#[test]
fn running_by_hand_explains_itself() {
    let out = Command::new(BIN)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("run provider");
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("plugin for Terraform"), "{text}");
}

/// Ctrl-C in Terraform sends StopProvider: an apply waiting between retries ends
/// promptly with a "cancelled" error instead of running out its backoff, and the
/// provider keeps serving afterwards.
#[test]
fn stop_provider_cancels_waiting_retries_and_keeps_serving() {
    use terraform_provider_halopsa::framework::codec;
    use terraform_provider_halopsa::framework::Value;
    use terraform_provider_halopsa::plugin::proto::tfplugin6::{
        apply_resource_change, configure_provider, stop_provider, DynamicValue,
    };

    let sim = halo_sim::Sim::start(halo_sim::SimOptions::default()).expect("sim");
    sim.inject(halo_sim::Fault {
        method: Some("POST".into()),
        path_prefix: "/api/Organisation".into(),
        count: 1000,
        action: halo_sim::FaultAction::Status {
            status: 503,
            retry_after_secs: Some(30),
        },
    });
    let id = client_identity();
    let plugin = start_plugin(&id);
    runtime().block_on(async {
        let ch = channel(&plugin, Some(&id)).await.expect("connect");
        let mut client = ProviderClient::new(ch);

        let provider_ty = terraform_provider_halopsa::provider::schema().value_type();
        let mut config = Value::Object(Default::default());
        if let terraform_provider_halopsa::framework::Type::Object(attrs) = &provider_ty {
            for name in attrs.keys() {
                config.set_attr(name, Value::Null);
            }
        }
        config.set_attr("url", Value::string(sim.url()));
        config.set_attr("client_id", Value::string("halo-sim"));
        config.set_attr("client_secret", Value::string("halo-sim-secret"));
        let configured = client
            .configure_provider(configure_provider::Request {
                terraform_version: "1.15.0".into(),
                config: Some(DynamicValue {
                    msgpack: codec::encode(&config, &provider_ty),
                    json: vec![],
                }),
                client_capabilities: None,
            })
            .await
            .expect("ConfigureProvider")
            .into_inner();
        assert!(
            configured.diagnostics.is_empty(),
            "{:?}",
            configured.diagnostics
        );

        let org_ty = terraform_provider_halopsa::provider::resources()
            .into_iter()
            .find(|r| r.type_name() == "halopsa_organisation")
            .expect("organisation")
            .schema()
            .value_type();
        let mut planned = Value::Object(Default::default());
        if let terraform_provider_halopsa::framework::Type::Object(attrs) = &org_ty {
            for name in attrs.keys() {
                planned.set_attr(name, Value::Null);
            }
        }
        planned.set_attr("id", Value::Unknown);
        planned.set_attr("name", Value::string("Cancelled Org"));
        let null = DynamicValue {
            msgpack: codec::encode(&Value::Null, &org_ty),
            json: vec![],
        };
        let request = apply_resource_change::Request {
            type_name: "halopsa_organisation".into(),
            prior_state: Some(null),
            planned_state: Some(DynamicValue {
                msgpack: codec::encode(&planned, &org_ty),
                json: vec![],
            }),
            config: Some(DynamicValue {
                msgpack: codec::encode(&planned, &org_ty),
                json: vec![],
            }),
            ..Default::default()
        };

        let mut applying = client.clone();
        let apply = tokio::spawn(async move { applying.apply_resource_change(request).await });
        tokio::time::sleep(Duration::from_millis(700)).await;
        let stopped_at = Instant::now();
        client
            .stop_provider(stop_provider::Request {})
            .await
            .expect("StopProvider");
        let answer = tokio::time::timeout(Duration::from_secs(2), apply)
            .await
            .expect("the apply ends promptly after StopProvider")
            .expect("task")
            .expect("ApplyResourceChange")
            .into_inner();
        assert!(stopped_at.elapsed() < Duration::from_secs(2));
        let text = format!("{:?}", answer.diagnostics);
        assert!(
            text.to_lowercase().contains("cancel"),
            "a cancellation error: {text}"
        );

        // Still serving after the stop.
        let schema = client
            .get_provider_schema(get_provider_schema::Request {})
            .await;
        assert!(
            schema.is_ok(),
            "the provider keeps serving after StopProvider"
        );
    });
}
