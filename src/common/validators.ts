import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { hasVisibleText } from './text.js';

/** The decorated date (YYYY-MM-DD) must come strictly after the named sibling date. */
export function IsAfter(property: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAfter',
      target: object.constructor,
      propertyName,
      constraints: [property],
      options: { message: `${propertyName} must be after ${property}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[args.constraints[0] as string];
          return typeof value !== 'string' || typeof other !== 'string' || value > other;
        },
      },
    });
}

/** Text with something a reader can see: a letter or a digit (hasVisibleText; not spaces or zero-width characters alone). */
export function IsNotBlank(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBlank',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must not be blank`, ...options },
      validator: { validate: (value: unknown) => value === undefined || value === null || (typeof value === 'string' && hasVisibleText(value)) },
    });
}

/** A DSPT cycle such as 2024-25: the second year follows the first. */
export function IsDsptCycle(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDsptCycle',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a DSPT cycle such as 2024-25`, ...options },
      validator: {
        validate(value: unknown) {
          const m = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
          return !!m && (Number(m[1]) + 1) % 100 === Number(m[2]) && Number(m[1]) >= 2018 && Number(m[1]) <= 2100;
        },
      },
    });
}
