//! The produce path against a running registry: register (or find) a schema, serialize JSON
//! events to Confluent wire format, and read them back with the consume-path deserializer; once
//! with an Avro schema, once with a Protobuf schema that imports another file.
//!
//! Start the real server in one terminal, then run the example from the repository root:
//!
//! ```text
//! cargo run -p sr -- serve                 # listening on http://127.0.0.1:8081, data in ./sr-data
//! cargo run --example produce
//! cargo run --example produce -- http://127.0.0.1:8081 orders-value tests/fixtures/validate/order_placed.avsc
//! ```
//!
//! Arguments (all optional): registry URL, Avro subject, Avro schema file. Basic auth comes from
//! SR_REGISTRY_USER / SR_REGISTRY_PASSWORD when set. Running it again registers nothing new: the
//! same schema under the same subject keeps its id and version.

use std::sync::Arc;

use schema_registry::client::{
    ClientOptions, Deserializer, RegisterRequest, RegistryClient, Serializer,
};
use schema_registry::types::{SchemaReference, SchemaType};
use serde_json::json;

/// Files of the repository, found wherever the example is run from.
const REPO: &str = env!("CARGO_MANIFEST_DIR");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8081".into());
    let subject = args.next().unwrap_or_else(|| "orders-value".into());
    let path = args
        .next()
        .unwrap_or_else(|| format!("{REPO}/tests/fixtures/validate/order_placed.avsc"));

    let options = ClientOptions {
        user: std::env::var("SR_REGISTRY_USER").ok(),
        password: std::env::var("SR_REGISTRY_PASSWORD").ok(),
        ..ClientOptions::default()
    };
    let client = Arc::new(RegistryClient::new(&url, options)?);
    let deserializer = Deserializer::new(client.clone());

    // Avro.
    let schema = std::fs::read_to_string(&path)?;
    // Auto-registration is opt-in: a producer normally writes with the subject's latest schema.
    let serializer = Serializer::new(client.clone(), subject.as_str())
        .auto_register(RegisterRequest::new(SchemaType::Avro, schema));
    let event = json!({
        "order_id": "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f",
        "customer_id": 42,
        "placed_at": 1732521600000i64,
        "status": "PLACED",
        "items": [{"sku": "A-1", "quantity": 2, "unit_price": 9.5}],
        "shipping_address": {"street": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US"},
        "currency": "EUR",
        "total": 19.0
    });
    let record = serializer.serialize(&event).await?;
    println!(
        "{subject}: schema id {}, {} bytes on the wire",
        serializer.schema_id().await?,
        record.len()
    );
    println!("read back: {}", deserializer.deserialize(&record).await?);

    let mut bad = event.clone();
    bad["items"][0]["quantity"] = json!("two");
    match serializer.serialize(&bad).await {
        Ok(_) => return Err("an invalid event serialized".into()),
        Err(e) => println!("refused as it should be: {e}"),
    }

    // Protobuf: the imported file goes under a subject named after its import path, as
    // Confluent's serializers do, and the main file references it.
    let proto =
        |name: &str| std::fs::read_to_string(format!("{REPO}/schemas/protobuf/orders/{name}"));
    client
        .register(
            "common.proto",
            &RegisterRequest::new(SchemaType::Protobuf, proto("common.proto")?),
            false,
        )
        .await?;
    let placed = RegisterRequest {
        references: vec![SchemaReference {
            name: "common.proto".into(),
            subject: "common.proto".into(),
            version: -1,
        }],
        ..RegisterRequest::new(SchemaType::Protobuf, proto("order_placed.proto")?)
    };
    let proto_subject = "order-placed-proto-value";
    let serializer = Serializer::new(client.clone(), proto_subject)
        .auto_register(placed)
        .message("acme.orders.v1.OrderPlaced");
    // The proto3 JSON mapping: camelCase names, 64-bit integers as strings, enum value names.
    let event = json!({
        "envelope": {"eventId": "e-1", "occurredAt": "2024-11-25T08:00:00Z", "producer": "example"},
        "orderId": "o-1",
        "customerId": "42",
        "items": [{"sku": "A-1", "quantity": 2, "unitPrice": {"currency": "EUR", "amountMinor": "950"}}],
        "total": {"currency": "EUR", "amountMinor": "1900"},
        "channel": "CHANNEL_WEB"
    });
    let record = serializer.serialize(&event).await?;
    println!(
        "{proto_subject}: schema id {}, {} bytes on the wire",
        serializer.schema_id().await?,
        record.len()
    );
    println!("read back: {}", deserializer.deserialize(&record).await?);
    Ok(())
}
