//! The produce path against a running registry: register (or find) a schema, serialize JSON
//! events to Confluent wire format, and read them back with the consume-path deserializer.
//!
//! ```text
//! sr serve &
//! cargo run --example produce -- http://127.0.0.1:8081 orders-value tests/fixtures/validate/order_placed.avsc
//! ```
//! Basic auth comes from SR_REGISTRY_USER / SR_REGISTRY_PASSWORD when set.

use std::sync::Arc;

use schema_registry::client::{
    ClientOptions, Deserializer, RegisterRequest, RegistryClient, Serializer,
};
use schema_registry::types::SchemaType;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8081".into());
    let subject = args.next().unwrap_or_else(|| "orders-value".into());
    let path = args
        .next()
        .unwrap_or_else(|| "tests/fixtures/validate/order_placed.avsc".into());

    let options = ClientOptions {
        user: std::env::var("SR_REGISTRY_USER").ok(),
        password: std::env::var("SR_REGISTRY_PASSWORD").ok(),
        ..ClientOptions::default()
    };
    let client = Arc::new(RegistryClient::new(&url, options)?);
    let schema = std::fs::read_to_string(&path)?;
    // Auto-registration is opt-in: a producer normally writes with the subject's latest schema.
    let serializer = Serializer::new(client.clone(), subject.as_str())
        .auto_register(RegisterRequest::new(SchemaType::Avro, schema));
    let deserializer = Deserializer::new(client.clone());

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
        Ok(_) => println!("unexpected: an invalid event serialized"),
        Err(e) => println!("refused as it should be: {e}"),
    }
    Ok(())
}
