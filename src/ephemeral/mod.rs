//! The provider's ephemeral resources (Terraform 1.10+): values that live for one
//! Terraform run and are never written to plan or state.

mod access_token;

use crate::framework::AnyEphemeral;
use crate::halo::HaloClient;

pub use access_token::AccessTokenResource;

/// Every ephemeral resource type.
pub fn all() -> Vec<Box<dyn AnyEphemeral<HaloClient>>> {
    vec![Box::new(AccessTokenResource)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_model_fits_its_schema() {
        for e in super::all() {
            assert_eq!(e.check_model(), Ok(()), "{}", e.type_name());
        }
    }
}
