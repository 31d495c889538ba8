//! The checksum settings of `Config` (`request_checksum_calculation`,
//! `response_checksum_validation`), as botocore's `Config` has them: the field, getter,
//! setter and `from_shared` line of each.

use proc_macro2::TokenStream;
use quote::quote;

/// (fields, getters, setters, `from_shared` statements).
pub(super) fn checksum_settings() -> [TokenStream; 4] {
    let fields = quote! {
        request_checksum_calculation: ::s3_runtime::config::RequestChecksumCalculation,
        response_checksum_validation: ::s3_runtime::config::ResponseChecksumValidation,
    };
    let getters = quote! {
        /// When request checksums are computed: `WhenSupported` (the default) for every
        /// operation that supports one (PutObject, UploadPart, … get a CRC32), or
        /// `WhenRequired` only for operations that require one (or when the caller chose
        /// an algorithm), which S3-compatible stores without checksum support need.
        pub fn request_checksum_calculation(&self) -> ::s3_runtime::config::RequestChecksumCalculation {
            self.request_checksum_calculation
        }

        /// When response checksums are validated: `WhenSupported` (the default) asks
        /// for them (`x-amz-checksum-mode: ENABLED` on GetObject) and checks the body
        /// against them; `WhenRequired` only when the caller set the checksum mode.
        pub fn response_checksum_validation(&self) -> ::s3_runtime::config::ResponseChecksumValidation {
            self.response_checksum_validation
        }
    };
    let setters = quote! {
        /// When request checksums are computed (see
        /// [`Config::request_checksum_calculation`]); also `AWS_REQUEST_CHECKSUM_CALCULATION`
        /// and the profile's `request_checksum_calculation`.
        pub fn request_checksum_calculation(mut self, value: ::s3_runtime::config::RequestChecksumCalculation) -> Self {
            self.config.request_checksum_calculation = value;
            self
        }

        /// When response checksums are validated (see
        /// [`Config::response_checksum_validation`]); also `AWS_RESPONSE_CHECKSUM_VALIDATION`
        /// and the profile's `response_checksum_validation`.
        pub fn response_checksum_validation(mut self, value: ::s3_runtime::config::ResponseChecksumValidation) -> Self {
            self.config.response_checksum_validation = value;
            self
        }
    };
    let from_shared = quote! {
        builder = builder.request_checksum_calculation(shared.request_checksum_calculation);
        builder = builder.response_checksum_validation(shared.response_checksum_validation);
    };
    [fields, getters, setters, from_shared]
}
