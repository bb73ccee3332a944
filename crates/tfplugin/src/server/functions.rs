//! GetFunctions and CallFunction: the provider's functions (Terraform 1.8+),
//! `provider::NAME::FUNCTION(...)`.

use tonic::{Response, Status};

use super::convert::{decode, encode};
use super::{ProviderDefinition, ProviderService, RpcResult};
use crate::framework::Function;
use crate::plugin::proto::tfplugin6 as pb;

pub(super) fn function_to_pb(f: &Function) -> pb::Function {
    pb::Function {
        parameters: f
            .parameters
            .iter()
            .map(|p| pb::function::Parameter {
                name: p.name.to_string(),
                r#type: p.ty.to_json().to_string().into_bytes(),
                allow_null_value: false,
                allow_unknown_values: false,
                description: p.description.to_string(),
                description_kind: pb::StringKind::Markdown as i32,
            })
            .collect(),
        variadic_parameter: None,
        r#return: Some(pb::function::Return {
            r#type: f.returns.to_json().to_string().into_bytes(),
        }),
        summary: f.summary.to_string(),
        description: f.description.to_string(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecation_message: String::new(),
    }
}

pub(super) fn functions_to_pb<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> std::collections::HashMap<String, pb::Function> {
    svc.catalog()
        .functions
        .iter()
        .map(|(n, f)| (n.to_string(), function_to_pb(f)))
        .collect()
}

pub(super) fn get_functions<D: ProviderDefinition>(
    svc: &ProviderService<D>,
) -> RpcResult<pb::get_functions::Response> {
    Ok(Response::new(pb::get_functions::Response {
        functions: functions_to_pb(svc),
        diagnostics: Vec::new(),
    }))
}

pub(super) fn call_function<D: ProviderDefinition>(
    svc: &ProviderService<D>,
    r: pb::call_function::Request,
) -> RpcResult<pb::call_function::Response> {
    let f = svc
        .catalog()
        .functions
        .get(r.name.as_str())
        .ok_or_else(|| Status::not_found(format!("unknown function {:?}", r.name)))?;
    let error = |text: String, argument: Option<i64>| pb::call_function::Response {
        result: None,
        error: Some(pb::FunctionError {
            text,
            function_argument: argument,
        }),
    };
    if r.arguments.len() != f.parameters.len() {
        return Ok(Response::new(error(
            format!(
                "{} takes {} arguments, got {}",
                f.name,
                f.parameters.len(),
                r.arguments.len()
            ),
            None,
        )));
    }
    let mut args = Vec::with_capacity(r.arguments.len());
    for (i, (dv, p)) in r.arguments.iter().zip(&f.parameters).enumerate() {
        match decode(Some(dv), &p.ty) {
            Ok(v) => args.push(v),
            Err(d) => {
                let text = d.0.first().map(|d| d.detail.clone()).unwrap_or_default();
                return Ok(Response::new(error(
                    format!("{}: {text}", p.name),
                    Some(i as i64),
                )));
            }
        }
    }
    Ok(Response::new(match f.invoke(&args) {
        Ok(v) => pb::call_function::Response {
            result: encode(&v, &f.returns),
            error: None,
        },
        Err(e) => error(e.text, e.argument),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Type, Value};
    use crate::server::testing::{self, Fake};

    fn call(svc: &ProviderService<Fake>, name: &str, args: &[&str]) -> pb::call_function::Response {
        call_function(
            svc,
            pb::call_function::Request {
                name: name.into(),
                arguments: args
                    .iter()
                    .map(|a| encode(&Value::string(*a), &Type::String).expect("encodes"))
                    .collect(),
            },
        )
        .expect("answers")
        .into_inner()
    }

    #[test]
    fn the_function_is_announced_and_answers() {
        let svc = testing::service();
        let fs = get_functions(&svc).expect("answers").into_inner().functions;
        assert_eq!(fs.len(), 1);
        assert_eq!(fs["upper"].parameters[0].name, "text");
        let upper = call(&svc, "upper", &["ab"]);
        assert_eq!(
            decode(upper.result.as_ref(), &Type::String),
            Ok(Value::string("AB"))
        );
        let bad = call(&svc, "upper", &[""]);
        let e = bad.error.expect("an error");
        assert_eq!(e.function_argument, Some(0));
        assert!(bad.result.is_none());
        let wrong = call(&svc, "upper", &["a", "b"]);
        assert_eq!(
            wrong.error.expect("an error").text,
            "upper takes 1 arguments, got 2"
        );
    }

    #[test]
    fn an_unknown_function_is_not_found() {
        let err = call_function(
            &testing::service(),
            pb::call_function::Request {
                name: "nothing".into(),
                arguments: Vec::new(),
            },
        )
        .expect_err("unknown");
        assert_eq!(err.code(), tonic::Code::NotFound);
    }
}
