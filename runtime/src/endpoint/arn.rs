//! `aws.parseArn`.

/// An Amazon Resource Name as `aws.parseArn` returns it; see [`parse_arn`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account_id: &'a str,
    resource_id: Vec<&'a str>,
}

impl<'a> Arn<'a> {
    /// `partition`: `aws`, `aws-cn`, … (never empty).
    pub fn partition(&self) -> &'a str {
        self.partition
    }
    /// `service`: `s3`, `s3-outposts`, … (never empty).
    pub fn service(&self) -> &'a str {
        self.service
    }
    /// `region`, empty for resources that are not regional.
    pub fn region(&self) -> &'a str {
        self.region
    }
    /// `accountId`, empty for resources that belong to no account.
    pub fn account_id(&self) -> &'a str {
        self.account_id
    }
    /// `resourceId`: the rest of the ARN split on `:` and `/`
    /// (`accesspoint/my-ap` → `["accesspoint", "my-ap"]`). `getAttr(arn, "resourceId[1]")`
    /// is `resource_id().get(1)`.
    pub fn resource_id(&self) -> &[&'a str] {
        &self.resource_id
    }
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account-id:resource`, or `None`
/// if the value does not start with `arn:`, has fewer than six `:`-separated parts, or
/// has an empty partition, service or resource. The resource (everything after the fifth
/// `:`) is split on both `:` and `/`; region and account may be empty.
pub fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource.split([':', '/']).collect();
    Some(Arn { partition, service, region, account_id, resource_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(arn: &Arn<'a>) -> (&'a str, &'a str, &'a str, &'a str, Vec<&'a str>) {
        (arn.partition(), arn.service(), arn.region(), arn.account_id(), arn.resource_id().to_vec())
    }

    #[test]
    fn specification_examples() {
        let arn = parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name").unwrap();
        assert_eq!(parts(&arn), ("aws", "sns", "us-west-2", "012345678910", vec!["example-sns-topic-name"]));
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        let arn = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").unwrap();
        assert_eq!(parts(&arn), ("aws", "ec2", "us-east-1", "012345678910", vec!["vpc", "vpc-0e9801d129EXAMPLE"]));
        let arn = parse_arn("arn:aws:iam::012345678910:user/johndoe").unwrap();
        assert_eq!(parts(&arn), ("aws", "iam", "", "012345678910", vec!["user", "johndoe"]));
        let arn = parse_arn("arn:aws:s3:::bucket_name").unwrap();
        assert_eq!(parts(&arn), ("aws", "s3", "", "", vec!["bucket_name"]));
    }

    #[test]
    fn resources_split_on_colons_and_slashes() {
        let arn = parse_arn("arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint:reports")
            .unwrap();
        assert_eq!(arn.resource_id(), ["outpost", "op-01234567890123456", "accesspoint", "reports"]);
        let arn = parse_arn("arn:aws:s3:::my_corporate_bucket/Development/*").unwrap();
        assert_eq!(arn.resource_id(), ["my_corporate_bucket", "Development", "*"]);
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint:").unwrap();
        assert_eq!(arn.resource_id(), ["accesspoint", ""]);
        assert_eq!(arn.resource_id().get(2), None);
    }

    #[test]
    fn refusals() {
        for value in [
            "",
            "arn",
            "arn:",
            "arn:aws:s3:us-west-2:123456789012",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn::s3:us-west-2:123456789012:accesspoint:ap",
            "arn:aws::us-west-2:123456789012:accesspoint:ap",
            "ARN:aws:s3:us-west-2:123456789012:accesspoint:ap",
            "urn:aws:s3:us-west-2:123456789012:accesspoint:ap",
        ] {
            assert_eq!(parse_arn(value), None, "{value}");
        }
    }
}
